package io.runway.gateway.resilience;

import java.util.Set;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory.RetryConfig;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The route filter {@code IdempotentRetry}: Spring Cloud Gateway's {@code Retry}, with the same arguments, for the
 * requests it may retry only. {@code Retry} makes its route read every request body into memory before anything else
 * runs (authentication and the body size limit included), so that a retry could send the body again, and wraps every
 * request in its retry operators, a POST's as well. Here a request of a method not retried goes straight on, streamed,
 * and a request is retried only if it has no body, which can be sent again as it is: no body is ever held.
 */
@Component
final class IdempotentRetryGatewayFilterFactory extends AbstractGatewayFilterFactory<RetryConfig> {

    // Not a bean: without an event publisher it does not mark the route for body caching.
    private final RetryGatewayFilterFactory retry = new RetryGatewayFilterFactory();

    IdempotentRetryGatewayFilterFactory() {
        super(RetryConfig.class);
    }

    @Override
    public GatewayFilter apply(RetryConfig config) {
        var retrying = retry.apply(config);
        var methods = Set.copyOf(config.getMethods());
        return (exchange, chain) ->
                retriable(exchange.getRequest(), methods) ? retrying.filter(exchange, chain) : chain.filter(exchange);
    }

    private static boolean retriable(ServerHttpRequest request, Set<HttpMethod> methods) {
        var headers = request.getHeaders();
        return methods.contains(request.getMethod())
                && headers.getContentLength() <= 0
                && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }
}
