package io.runway.common.error;

/**
 * The one table from an HTTP status to the {@code error} code of a {@code {"success": false, "error": …}} body, for
 * refusals that carry no code of their own (a framework's {@code ResponseStatusException}, a proxy failure).
 */
public final class StatusCodes {

    private StatusCodes() {}

    public static String of(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 502 -> "bad_gateway";
            case 503 -> "service_unavailable";
            case 504 -> "gateway_timeout";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    }
}
