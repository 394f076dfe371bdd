package io.runway.assign.web;

import java.util.List;

/** The LIKEPION list envelope {@code {"success": true, "data": [...], "total": n}}. */
public record ListBody<T>(boolean success, List<T> data, long total) {

    public static <T> ListBody<T> of(List<T> data) {
        return new ListBody<>(true, data, data.size());
    }
}
