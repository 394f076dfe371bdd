package io.runway.run.face.socialking;

import io.runway.common.error.ApiException;
import io.runway.common.error.DatabaseFailure;
import io.runway.common.error.ErrorBody;
import io.runway.common.error.InvalidInputException;
import io.runway.common.error.StatusCodes;
import io.runway.common.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/** The SocialKing face's errors: {@code {"success": false, "error": "<code>", "message": "..."}}. */
@RestControllerAdvice(basePackageClasses = SocialKingErrors.class)
class SocialKingErrors {

    private static final Logger log = LoggerFactory.getLogger(SocialKingErrors.class);

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ErrorBody> invalid(InvalidInputException e) {
        return ResponseEntity.badRequest().body(ErrorBody.of("validation_error", e.getMessage()));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ErrorBody> unreadable(ServerWebInputException e) {
        return ResponseEntity.badRequest()
                .body(ErrorBody.of("validation_error", "Request body is not valid JSON of the expected shape"));
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorBody> refused(ApiException e) {
        return ResponseEntity.status(e.status()).body(ErrorBody.of(e.code(), e.getMessage()));
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ErrorBody> status(ResponseStatusException e) {
        var status = HttpStatus.valueOf(e.getStatusCode().value());
        return ResponseEntity.status(status)
                .body(ErrorBody.of(StatusCodes.of(status.value()), status.getReasonPhrase()));
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ErrorBody> tooLarge(DataBufferLimitException e) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                .body(ErrorBody.of("payload_too_large", "Request body is larger than 1 MB"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> unexpected(Exception e, ServerWebExchange exchange) {
        var database = DatabaseFailure.of(e);
        if (database != null) {
            RequestIds.inMdc(exchange, () -> log.warn("database failure: {}", e.toString()));
            return database.response(ErrorBody.of(database.code(), database.message()));
        }
        RequestIds.inMdc(exchange, () -> log.error("unexpected error", e));
        return ResponseEntity.internalServerError().body(ErrorBody.of("internal_error", "Internal server error"));
    }
}
