package io.runway.worker.config;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalAuthWebFilter;
import io.runway.common.auth.InvalidInternalTokenException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Resolves {@link CallerPrincipal} controller parameters ahead of common's resolver, whose
 * {@code Mono.justOrEmpty(exchange.getAttribute(...))} binds to the {@code Optional} overload and fails with a
 * ClassCastException. Remove once common's resolver is fixed.
 */
@Configuration(proxyBeanMethods = false)
class PrincipalResolverConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebFluxConfigurer workerCallerPrincipalResolver() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new Resolver());
            }
        };
    }

    private static final class Resolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return CallerPrincipal.class.equals(parameter.getParameterType());
        }

        @Override
        public Mono<Object> resolveArgument(
                MethodParameter parameter, BindingContext bindingContext, ServerWebExchange exchange) {
            Object principal = exchange.getAttributes().get(InternalAuthWebFilter.PRINCIPAL_ATTRIBUTE);
            return principal != null
                    ? Mono.just(principal)
                    : Mono.error(new InvalidInternalTokenException("missing internal token"));
        }
    }
}
