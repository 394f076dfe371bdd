package io.runway.common.error;

import java.util.List;

/** Input that fails validation, with where each problem is ({@code loc}), as both faces need to report it. */
public class InvalidInputException extends RuntimeException {

    private final List<ValidationErrorBody.Detail> details;

    public InvalidInputException(List<ValidationErrorBody.Detail> details) {
        super(details.isEmpty() ? "invalid input" : describe(details.get(0)));
        this.details = List.copyOf(details);
    }

    public static InvalidInputException of(List<Object> loc, String msg, String type) {
        return new InvalidInputException(List.of(new ValidationErrorBody.Detail(loc, msg, type)));
    }

    public List<ValidationErrorBody.Detail> details() {
        return details;
    }

    private static String describe(ValidationErrorBody.Detail detail) {
        var where = detail.loc().isEmpty() ? "" : detail.loc().get(detail.loc().size() - 1) + ": ";
        return where + detail.msg();
    }
}
