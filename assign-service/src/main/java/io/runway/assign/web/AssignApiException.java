package io.runway.assign.web;

import org.springframework.http.HttpStatus;

/** A refusal of the Assign or admin API with its HTTP status and LIKEPION error code. */
public final class AssignApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public AssignApiException(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static AssignApiException badRequest(String message) {
        return new AssignApiException(HttpStatus.BAD_REQUEST, "invalid_request", message);
    }

    public static AssignApiException unauthorized(String message) {
        return new AssignApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message);
    }

    public static AssignApiException forbidden(String message) {
        return new AssignApiException(HttpStatus.FORBIDDEN, "forbidden", message);
    }

    public static AssignApiException notFound(String message) {
        return new AssignApiException(HttpStatus.NOT_FOUND, "not_found", message);
    }

    public static AssignApiException conflict(String code, String message) {
        return new AssignApiException(HttpStatus.CONFLICT, code, message);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
