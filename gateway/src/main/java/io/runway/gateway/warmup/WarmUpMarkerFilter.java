package io.runway.gateway.warmup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Marks a request as warm-up when it carries the secret the running warm-up made for itself (random, never leaves the
 * process but over loopback, forgotten when the warm-up ends); after that this filter only reads one field.
 */
@Component
final class WarmUpMarkerFilter implements WebFilter, Ordered {

    static final String HEADER = "X-Gateway-Warm-Up";

    private final WarmUp warmUp;

    WarmUpMarkerFilter(WarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var secret = warmUp.secret();
        if (secret != null) {
            var sent = exchange.getRequest().getHeaders().getFirst(HEADER);
            if (sent != null
                    && MessageDigest.isEqual(
                            secret.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII))) {
                exchange.getAttributes().put(WarmUpRequests.ATTRIBUTE, Boolean.TRUE);
            }
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
