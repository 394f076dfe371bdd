package io.runway.worker;

import io.runway.common.error.LikepionUnmatchedRequests;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Entry point of the worker-service. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(LikepionUnmatchedRequests.class)
public class WorkerServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerServiceApplication.class, args);
    }
}
