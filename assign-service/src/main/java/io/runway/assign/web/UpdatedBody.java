package io.runway.assign.web;

/** The answer of a state change: {@code {"success": true, "updated": true|false}}. */
public record UpdatedBody(boolean success, boolean updated) {

    public static UpdatedBody of(boolean updated) {
        return new UpdatedBody(true, updated);
    }
}
