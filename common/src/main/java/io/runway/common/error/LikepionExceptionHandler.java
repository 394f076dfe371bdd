package io.runway.common.error;

import io.runway.common.auth.InvalidInternalTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * The LIKEPION face's mapping of framework failures to {@link ErrorBody}, shared by every service that serves it
 * (worker-service, assign-service): each extends it in its one {@code @RestControllerAdvice} and adds only its own
 * domain exceptions. Never a stack trace or SQL in a response.
 */
public abstract class LikepionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(LikepionExceptionHandler.class);

    private final String apiName;

    protected LikepionExceptionHandler(String apiName) {
        this.apiName = apiName;
    }

    @ExceptionHandler(ApiException.class)
    protected ResponseEntity<ErrorBody> refused(ApiException e) {
        return ResponseEntity.status(e.status()).body(ErrorBody.of(e.code(), e.getMessage()));
    }

    @ExceptionHandler(ServerWebInputException.class)
    protected ResponseEntity<ErrorBody> badInput(ServerWebInputException e) {
        return ResponseEntity.badRequest().body(ErrorBody.of("invalid_request", describe(e)));
    }

    @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
    protected ResponseEntity<ErrorBody> mediaType(UnsupportedMediaTypeStatusException e) {
        return ResponseEntity.badRequest().body(ErrorBody.of("invalid_request", "the body must be JSON"));
    }

    @ExceptionHandler(DataBufferLimitException.class)
    protected ResponseEntity<ErrorBody> tooLarge(DataBufferLimitException e) {
        return ResponseEntity.badRequest().body(ErrorBody.of("invalid_request", "request body too large"));
    }

    @ExceptionHandler(InvalidInternalTokenException.class)
    protected ResponseEntity<ErrorBody> unauthorized(InvalidInternalTokenException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ErrorBody.of("unauthorized", e.getMessage()));
    }

    @ExceptionHandler(MethodNotAllowedException.class)
    protected ResponseEntity<ErrorBody> method(MethodNotAllowedException e) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .body(ErrorBody.of("method_not_allowed", "method not allowed"));
    }

    @ExceptionHandler(ResponseStatusException.class)
    protected ResponseEntity<ErrorBody> status(ResponseStatusException e) {
        var status = HttpStatus.resolve(e.getStatusCode().value());
        var code = StatusCodes.of(e.getStatusCode().value());
        // a 404's reason names the request's internal URL: never echoed
        var message = status == HttpStatus.NOT_FOUND
                ? "No such endpoint"
                : e.getReason() != null ? e.getReason() : String.valueOf(status);
        return ResponseEntity.status(e.getStatusCode()).body(ErrorBody.of(code, message));
    }

    @ExceptionHandler(Exception.class)
    protected ResponseEntity<ErrorBody> unexpected(Exception e) {
        var database = DatabaseFailure.of(e);
        if (database != null) {
            log.warn("database failure in the {}: {}", apiName, e.toString());
            return database.response(ErrorBody.of(database.code(), database.message()));
        }
        log.error("unexpected error in the {}", apiName, e);
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
