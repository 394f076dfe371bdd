package io.runway.gateway.path;

/** The one spelling of an API path the gateway accepts. */
final class CanonicalPath {

    private static final String API = "/api/";

    private CanonicalPath() {}

    /** Why {@code rawPath} (as sent, still percent-encoded) is not canonical, or {@code null} when it is. */
    static String problemOf(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(API)) {
            return null;
        }
        if (rawPath.endsWith("/")) {
            return "trailing slash";
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            switch (c) {
                case ';' -> {
                    return "matrix parameters (;)";
                }
                case '%' -> {
                    return "percent-encoded characters";
                }
                case '\\' -> {
                    return "backslash";
                }
                case '/' -> {
                    String segmentProblem = segmentAfter(rawPath, i);
                    if (segmentProblem != null) {
                        return segmentProblem;
                    }
                }
                default -> {
                    if (c < 0x21 || c == 0x7f) {
                        return "control or space characters";
                    }
                }
            }
        }
        return null;
    }

    private static String segmentAfter(String path, int slash) {
        int end = path.indexOf('/', slash + 1);
        var segment = end < 0 ? path.substring(slash + 1) : path.substring(slash + 1, end);
        if (segment.isEmpty() && end >= 0) {
            return "empty segment (//)";
        }
        if (segment.equals(".") || segment.equals("..")) {
            return "dot segment";
        }
        return null;
    }
}
