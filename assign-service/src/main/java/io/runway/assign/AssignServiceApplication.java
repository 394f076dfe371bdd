package io.runway.assign;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the assign-service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AssignServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(AssignServiceApplication.class, args);
    }
}
