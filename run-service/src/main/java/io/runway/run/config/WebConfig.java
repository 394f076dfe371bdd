package io.runway.run.config;

import io.runway.common.auth.UnauthorizedBody;
import io.runway.common.error.DetailBody;
import io.runway.common.error.ErrorBody;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Web wiring shared by both API faces. */
@Configuration(proxyBeanMethods = false)
class WebConfig {

    /** A refused caller gets the error shape of the face it called: SocialKing paths or the generic face. */
    @Bean
    UnauthorizedBody unauthorizedBody() {
        return (exchange, message) -> {
            var path = exchange.getRequest().getPath().pathWithinApplication().value();
            return path.startsWith("/api/v1/automation/")
                    ? ErrorBody.of("unauthorized", message)
                    : new DetailBody("Not authenticated: " + message);
        };
    }
}
