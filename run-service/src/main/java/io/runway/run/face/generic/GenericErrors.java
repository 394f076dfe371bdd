package io.runway.run.face.generic;

import io.runway.common.error.ApiException;
import io.runway.common.error.DatabaseFailure;
import io.runway.common.error.DetailBody;
import io.runway.common.error.InvalidInputException;
import io.runway.common.error.ValidationErrorBody;
import io.runway.common.web.RequestIds;
import java.util.List;
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

/** The generic face's errors (runs and automations): 422 {@code {"detail": [...]}} or {@code {"detail": "..."}}. */
@RestControllerAdvice(basePackageClasses = GenericErrors.class)
class GenericErrors {

    private static final Logger log = LoggerFactory.getLogger(GenericErrors.class);

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ValidationErrorBody> invalid(InvalidInputException e) {
        return ResponseEntity.unprocessableContent().body(new ValidationErrorBody(e.details()));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ValidationErrorBody> unreadable(ServerWebInputException e) {
        return ResponseEntity.unprocessableContent()
                .body(ValidationErrorBody.of(List.of("body"), "Request body is not valid JSON", "json_invalid"));
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<DetailBody> refused(ApiException e) {
        return ResponseEntity.status(e.status()).body(new DetailBody(e.getMessage()));
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<DetailBody> status(ResponseStatusException e) {
        var status = HttpStatus.valueOf(e.getStatusCode().value());
        return ResponseEntity.status(status).body(new DetailBody(status.getReasonPhrase()));
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<DetailBody> tooLarge(DataBufferLimitException e) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                .body(new DetailBody("Request body is larger than 1 MB"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<DetailBody> unexpected(Exception e, ServerWebExchange exchange) {
        var database = DatabaseFailure.of(e);
        if (database != null) {
            RequestIds.inMdc(exchange, () -> log.warn("database failure: {}", e.toString()));
            return database.response(new DetailBody(database.message()));
        }
        RequestIds.inMdc(exchange, () -> log.error("unexpected error", e));
        return ResponseEntity.internalServerError().body(new DetailBody("Internal Server Error"));
    }
}
