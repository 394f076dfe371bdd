package io.runway.worker.web;

import io.runway.common.auth.InvalidInternalTokenException;
import io.runway.common.error.ErrorBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/** Maps every failure of the Worker API to the LIKEPION error body; never leaks a stack trace or SQL. */
@RestControllerAdvice
class WorkerExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(WorkerExceptionHandler.class);

    @ExceptionHandler(WorkerApiException.class)
    ResponseEntity<ErrorBody> refused(WorkerApiException e) {
        return ResponseEntity.status(e.status()).body(ErrorBody.of(e.code(), e.getMessage()));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ErrorBody> badInput(ServerWebInputException e) {
        return ResponseEntity.badRequest().body(ErrorBody.of("invalid_request", describe(e)));
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ErrorBody> tooLarge(DataBufferLimitException e) {
        return ResponseEntity.badRequest().body(ErrorBody.of("invalid_request", "request body too large"));
    }

    @ExceptionHandler(InvalidInternalTokenException.class)
    ResponseEntity<ErrorBody> unauthorized(InvalidInternalTokenException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ErrorBody.of("unauthorized", e.getMessage()));
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ErrorBody> status(ResponseStatusException e) {
        var status = HttpStatus.resolve(e.getStatusCode().value());
        var code = status == HttpStatus.NOT_FOUND ? "not_found" : "invalid_request";
        var message = e.getReason() != null ? e.getReason() : String.valueOf(status);
        return ResponseEntity.status(e.getStatusCode()).body(ErrorBody.of(code, message));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> unexpected(Exception e) {
        log.error("unexpected error in the Worker API", e);
        return ResponseEntity.internalServerError().body(ErrorBody.of("internal_error", "internal error"));
    }

    private static String describe(ServerWebInputException e) {
        if (e.getMethodParameter() != null && e.getMethodParameter().getParameterName() != null) {
            var name = e.getMethodParameter().getParameterName();
            if (!"body".equals(name) && !name.endsWith("Body")) {
                return "invalid value for " + name;
            }
        }
        return "malformed request body";
    }
}
