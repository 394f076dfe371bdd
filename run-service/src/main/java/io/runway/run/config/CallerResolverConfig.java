package io.runway.run.config;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalAuthWebFilter;
import io.runway.common.auth.InvalidInternalTokenException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Resolves {@link CallerPrincipal} controller parameters ahead of common's resolver, whose {@code Mono.justOrEmpty}
 * call binds to the {@code Optional} overload and fails with a ClassCastException (reported to the lead; remove this
 * once common is fixed).
 */
@Configuration(proxyBeanMethods = false)
class CallerResolverConfig {

    @Bean
    WebFluxConfigurer runCallerPrincipalResolver() {
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
            CallerPrincipal principal = exchange.getAttribute(InternalAuthWebFilter.PRINCIPAL_ATTRIBUTE);
            return principal != null
                    ? Mono.just(principal)
                    : Mono.error(new InvalidInternalTokenException("missing internal token"));
        }
    }
}
