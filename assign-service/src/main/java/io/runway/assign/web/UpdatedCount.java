package io.runway.assign.web;

/** {@code {"success": true, "updated": n}}: the answer of a change to many objects. */
public record UpdatedCount(boolean success, int updated) {

    public static UpdatedCount of(int updated) {
        return new UpdatedCount(true, updated);
    }
}
