package io.runway.worker.web;

import io.runway.common.error.ErrorBody;
import io.runway.common.error.LikepionExceptionHandler;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps every failure of the Worker API to the LIKEPION error body; never leaks a stack trace or SQL. */
@RestControllerAdvice
class WorkerExceptionHandler extends LikepionExceptionHandler {

    WorkerExceptionHandler() {
        super("Worker API");
    }

    @ExceptionHandler(WorkerApiException.class)
    ResponseEntity<ErrorBody> refused(WorkerApiException e) {
        return ResponseEntity.status(e.status()).body(ErrorBody.of(e.code(), e.getMessage()));
    }
}
