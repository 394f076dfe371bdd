package io.runway.common.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/** Registers the request-id and access-log filter in every reactive application that has {@code common}. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class RequestIdAutoConfiguration {

    @Bean
    RequestIdWebFilter requestIdWebFilter(
            @Value("${app.access-log.successes:true}") boolean logSuccesses,
            @Value("${app.request-id.set-on-request:true}") boolean setOnRequest) {
        return new RequestIdWebFilter(logSuccesses, setOnRequest);
    }
}
