package io.runway.assign;

import io.runway.common.error.LikepionUnmatchedRequests;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Entry point of the assign-service. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(LikepionUnmatchedRequests.class)
public class AssignServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(AssignServiceApplication.class, args);
    }
}
