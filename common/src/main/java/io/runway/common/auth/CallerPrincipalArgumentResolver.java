package io.runway.common.auth;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Lets controller methods declare a {@link CallerPrincipal} parameter filled from the verified internal token. */
public final class CallerPrincipalArgumentResolver implements HandlerMethodArgumentResolver {

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
