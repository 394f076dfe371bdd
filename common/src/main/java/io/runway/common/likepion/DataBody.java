package io.runway.common.likepion;

/** The LIKEPION success envelope {@code {"success": true, "data": ...}}. */
public record DataBody<T>(boolean success, T data) {

    public static <T> DataBody<T> of(T data) {
        return new DataBody<>(true, data);
    }
}
