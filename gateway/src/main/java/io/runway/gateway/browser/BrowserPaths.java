package io.runway.gateway.browser;

/** The paths browsers use: both run faces, their event streams, automations, and the session cookie. */
public final class BrowserPaths {

    public static final String SESSION = "/api/v1/session";

    private BrowserPaths() {}

    static boolean isBrowserFacing(String path) {
        return path.startsWith("/api/v1/automation/run/")
                || path.equals("/api/v1/automation-runs")
                || path.startsWith("/api/v1/automation-runs/")
                || path.equals("/api/v1/automations")
                || path.startsWith("/api/v1/automations/")
                || path.equals(SESSION);
    }
}
