package io.runway.gateway.resilience;

import io.runway.gateway.auth.AuthenticationFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads a request body that declares at most {@link #MAX_BYTES} whole, once the caller is authenticated, within its
 * route's size limit and its rate limit, and forwards it as one buffer; a larger or chunked body is streamed. Streamed,
 * a heartbeat's few hundred bytes are handed between the caller's connection loop and the service connection's loop
 * on the way, which cost about a third more CPU per request than the rest of the proxying (docs/benchmarks.md, issue
 * 14, seventh pass). Spring Cloud Gateway's {@code RemoveCachedBodyFilter} releases the buffer when the exchange ends.
 */
@Component
final class SmallBodyFilter implements GlobalFilter, Ordered {

    static final long MAX_BYTES = 64 * 1024;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared <= 0 || declared > MAX_BYTES) {
            return chain.filter(exchange);
        }
        return ServerWebExchangeUtils.cacheRequestBody(
                exchange,
                request -> chain.filter(exchange.mutate().request(request).build()));
    }

    @Override
    public int getOrder() {
        // after the rate limit (AuthenticationFilter.ORDER + 100)
        return AuthenticationFilter.ORDER + 150;
    }
}
