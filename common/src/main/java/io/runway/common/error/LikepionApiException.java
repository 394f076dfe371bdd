package io.runway.common.error;

import org.springframework.http.HttpStatus;

/** A refusal of a LIKEPION API (Worker, Assign, admin) with its HTTP status and LIKEPION error code. */
public final class LikepionApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public LikepionApiException(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static LikepionApiException badRequest(String message) {
        return new LikepionApiException(HttpStatus.BAD_REQUEST, "invalid_request", message);
    }

    public static LikepionApiException unauthorized(String message) {
        return new LikepionApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message);
    }

    public static LikepionApiException forbidden(String message) {
        return forbidden("forbidden", message);
    }

    public static LikepionApiException forbidden(String code, String message) {
        return new LikepionApiException(HttpStatus.FORBIDDEN, code, message);
    }

    public static LikepionApiException notFound(String message) {
        return new LikepionApiException(HttpStatus.NOT_FOUND, "not_found", message);
    }

    public static LikepionApiException conflict(String code, String message) {
        return new LikepionApiException(HttpStatus.CONFLICT, code, message);
    }

    public static LikepionApiException invalidTransition(String message) {
        return conflict("invalid_transition", message);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
