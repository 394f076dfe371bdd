package io.runway.gateway.warmup;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Sends a warm-up request, after its route's filters, to the warm-up's throwaway upstream on loopback instead of the
 * route's service: the services never see warm-up traffic.
 */
@Component
final class WarmUpUpstreamFilter implements GlobalFilter, Ordered {

    private final WarmUp warmUp;

    WarmUpUpstreamFilter(WarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (WarmUpRequests.isWarmUp(exchange)) {
            java.net.URI url = exchange.getRequiredAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
            int port = warmUp.upstreamPort();
            if (port <= 0) {
                return Mono.error(new IllegalStateException("warm-up is over"));
            }
            var local = UriComponentsBuilder.fromUri(url)
                    .scheme("http")
                    .host("127.0.0.1")
                    .port(port)
                    .build(true)
                    .toUri();
            exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, local);
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;
    }
}
