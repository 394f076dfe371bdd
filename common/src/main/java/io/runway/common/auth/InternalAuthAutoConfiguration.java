package io.runway.common.auth;

import io.runway.common.error.ErrorBody;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/** Wires the internal-token verifier, its admission filter and the principal argument resolver into a service. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(prefix = "app.internal-token", name = "secret")
@EnableConfigurationProperties(InternalTokenProperties.class)
public class InternalAuthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    InternalTokenSigner internalTokenSigner(InternalTokenProperties properties, Clock clock) {
        return new InternalTokenSigner(properties, clock);
    }

    @Bean
    InternalTokenVerifier internalTokenVerifier(InternalTokenProperties properties, Clock clock) {
        return new InternalTokenVerifier(properties, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    UnauthorizedBody unauthorizedBody() {
        return (exchange, message) -> ErrorBody.of("unauthorized", message);
    }

    @Bean
    @ConditionalOnProperty(prefix = "app.internal-token", name = "verify", matchIfMissing = true)
    InternalAuthWebFilter internalAuthWebFilter(
            InternalTokenVerifier verifier, UnauthorizedBody body, ServerCodecConfigurer codecs) {
        return new InternalAuthWebFilter(verifier, body, codecs);
    }

    @Bean
    WebFluxConfigurer callerPrincipalResolverConfigurer() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new CallerPrincipalArgumentResolver());
            }
        };
    }
}
