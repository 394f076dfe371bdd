package io.runway.common.error;

import java.util.List;

/** The generic face's validation error: {@code 422 {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}}. */
public record ValidationErrorBody(List<Detail> detail) {

    /** One invalid input: where it is, what is wrong, and a machine-readable type. */
    public record Detail(List<Object> loc, String msg, String type) {}

    public static ValidationErrorBody of(List<Object> loc, String msg, String type) {
        return new ValidationErrorBody(List.of(new Detail(loc, msg, type)));
    }
}
