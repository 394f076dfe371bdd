package io.runway.gateway.resilience;

import io.runway.gateway.auth.AuthenticationFilter;
import io.runway.gateway.error.ErrorResponses;
import io.runway.gateway.error.PayloadTooLargeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses request bodies larger than the route's {@code max-body-bytes} metadata (or the default) with 413: at once
 * when {@code Content-Length} says so, otherwise while streaming. Item counts (500 tasks, 5000 links) are the
 * services' to check; this keeps a runaway body from ever reaching them.
 */
@Component
final class BodySizeLimitFilter implements GlobalFilter, Ordered {

    static final String METADATA_KEY = "max-body-bytes";

    private final long defaultLimit;
    private final ErrorResponses errors;
    // route metadata sizes ("6MB") in bytes, parsed once instead of per request
    private final Map<String, Long> parsed = new ConcurrentHashMap<>();

    BodySizeLimitFilter(@Value("${app.body-limit.default:1MB}") DataSize defaultLimit, ErrorResponses errors) {
        this.defaultLimit = defaultLimit.toBytes();
        this.errors = errors;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long limit = limitOf(exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR));
        var request = exchange.getRequest();
        long declared = request.getHeaders().getContentLength();
        if (declared > limit) {
            return errors.write(
                    exchange,
                    HttpStatus.PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    new PayloadTooLargeException(limit).getMessage());
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        var counted = new ServerHttpRequestDecorator(request) {
            private final AtomicLong seen = new AtomicLong();

            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().doOnNext(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        throw new PayloadTooLargeException(limit);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private long limitOf(Route route) {
        if (route == null) {
            return defaultLimit;
        }
        Object value = route.getMetadata().get(METADATA_KEY);
        return value == null
                ? defaultLimit
                : parsed.computeIfAbsent(
                        value.toString(), size -> DataSize.parse(size).toBytes());
    }

    @Override
    public int getOrder() {
        return AuthenticationFilter.ORDER + 50;
    }
}
