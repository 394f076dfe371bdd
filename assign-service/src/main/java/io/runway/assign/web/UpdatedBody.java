package io.runway.assign.web;

/** {@code {"success": true, "updated": true, "data": ...}}: the answer of a change to one object. */
public record UpdatedBody<T>(boolean success, boolean updated, T data) {

    public static <T> UpdatedBody<T> of(T data) {
        return new UpdatedBody<>(true, true, data);
    }
}
