package io.runway.run.face;

/** The two faces' run-event stream endpoints. */
final class StreamPaths {

    private StreamPaths() {}

    static boolean isStream(String path) {
        return (path.startsWith("/api/v1/automation/run/") && path.endsWith("/sse"))
                || (path.startsWith("/api/v1/automation-runs/") && path.endsWith("/events"));
    }
}
