package io.runway.gateway.browser;

/**
 * The paths browsers use: both run faces, their event streams, automations, the session cookie, and the admin API
 * (the console's operator views, same origin only).
 */
public final class BrowserPaths {

    public static final String SESSION = "/api/v1/session";

    private static final String ADMIN = "/api/v1/admin/";

    private BrowserPaths() {}

    static boolean isBrowserFacing(String path) {
        return path.startsWith("/api/v1/automation/run/")
                || path.equals("/api/v1/automation-runs")
                || path.startsWith("/api/v1/automation-runs/")
                || path.equals("/api/v1/automations")
                || path.startsWith("/api/v1/automations/")
                || path.equals(SESSION)
                || isAdmin(path);
    }

    /** Operators' paths: the cookie works there from the console's own origin, never from another one. */
    static boolean isAdmin(String path) {
        return path.startsWith(ADMIN);
    }
}
