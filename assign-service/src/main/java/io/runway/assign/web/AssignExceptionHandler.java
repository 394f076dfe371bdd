package io.runway.assign.web;

import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.runway.common.error.DatabaseFailure;
import io.runway.common.error.ErrorBody;
import io.runway.common.error.LikepionExceptionHandler;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps every failure of the Assign and admin APIs to the LIKEPION error body; never a stack trace or SQL. */
@RestControllerAdvice
class AssignExceptionHandler extends LikepionExceptionHandler {

    AssignExceptionHandler() {
        super("Assign API");
    }

    /**
     * A foreign key or CHECK refused the input (the caller named something that does not exist or is not allowed), or a
     * unique key did (SQLSTATE 23505: it already exists).
     */
    @ExceptionHandler({DataIntegrityViolationException.class, R2dbcDataIntegrityViolationException.class})
    ResponseEntity<ErrorBody> integrity(Exception e) {
        var failure = DatabaseFailure.of(e);
        if (failure != null && failure.status() == HttpStatus.CONFLICT) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(ErrorBody.of("conflict", "already exists"));
        }
        return ResponseEntity.badRequest()
                .body(ErrorBody.of(
                        "invalid_request", "a referenced resource does not exist or a value is not allowed"));
    }
}
