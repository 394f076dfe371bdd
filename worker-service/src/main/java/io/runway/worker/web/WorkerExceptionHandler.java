package io.runway.worker.web;

import io.runway.common.error.LikepionExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps every failure of the Worker API to the LIKEPION error body; never leaks a stack trace or SQL. */
@RestControllerAdvice
class WorkerExceptionHandler extends LikepionExceptionHandler {

    WorkerExceptionHandler() {
        super("Worker API");
    }
}
