package io.runway.assign.web;

import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.runway.common.auth.InvalidInternalTokenException;
import io.runway.common.error.ErrorBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/** Maps every failure of the Assign and admin APIs to the LIKEPION error body; never a stack trace or SQL. */
@RestControllerAdvice
class AssignExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(AssignExceptionHandler.class);

    @ExceptionHandler(AssignApiException.class)
    ResponseEntity<ErrorBody> refused(AssignApiException e) {
        return ResponseEntity.status(e.status()).body(ErrorBody.of(e.code(), e.getMessage()));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ErrorBody> badInput(ServerWebInputException e) {
        return ResponseEntity.badRequest().body(ErrorBody.of("invalid_request", describe(e)));
    }

    @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
    ResponseEntity<ErrorBody> mediaType(UnsupportedMediaTypeStatusException e) {
        return ResponseEntity.badRequest().body(ErrorBody.of("invalid_request", "the body must be JSON"));
    }

    @ExceptionHandler(InvalidInternalTokenException.class)
    ResponseEntity<ErrorBody> unauthorized(InvalidInternalTokenException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ErrorBody.of("unauthorized", e.getMessage()));
    }

    /** A foreign key or CHECK refused the input: the caller named something that does not exist or is not allowed. */
    @ExceptionHandler({DataIntegrityViolationException.class, R2dbcDataIntegrityViolationException.class})
    ResponseEntity<ErrorBody> integrity(Exception e) {
        var unique = e.getMessage() != null && e.getMessage().contains("duplicate key");
        if (unique) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(ErrorBody.of("conflict", "already exists"));
        }
        return ResponseEntity.badRequest()
                .body(ErrorBody.of(
                        "invalid_request", "a referenced resource does not exist or a value is not allowed"));
    }

    @ExceptionHandler(MethodNotAllowedException.class)
    ResponseEntity<ErrorBody> method(MethodNotAllowedException e) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .body(ErrorBody.of("method_not_allowed", "method not allowed"));
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
        log.error("unexpected error in the Assign API", e);
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
