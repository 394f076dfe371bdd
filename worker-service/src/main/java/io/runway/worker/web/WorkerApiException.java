package io.runway.worker.web;

import org.springframework.http.HttpStatus;

/** A refusal of the Worker API with its HTTP status and LIKEPION error code. */
public final class WorkerApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public WorkerApiException(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static WorkerApiException badRequest(String message) {
        return new WorkerApiException(HttpStatus.BAD_REQUEST, "invalid_request", message);
    }

    public static WorkerApiException unauthorized(String message) {
        return new WorkerApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message);
    }

    public static WorkerApiException notFound(String message) {
        return new WorkerApiException(HttpStatus.NOT_FOUND, "not_found", message);
    }

    public static WorkerApiException forbidden(String code, String message) {
        return new WorkerApiException(HttpStatus.FORBIDDEN, code, message);
    }

    public static WorkerApiException invalidTransition(String message) {
        return new WorkerApiException(HttpStatus.CONFLICT, "invalid_transition", message);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
