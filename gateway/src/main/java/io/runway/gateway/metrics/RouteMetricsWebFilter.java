package io.runway.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runway.common.observability.LatencyBuckets;
import io.runway.gateway.warmup.WarmUpRequests;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Times every request as {@code gateway.requests} tagged by route and outcome (2xx/3xx/4xx/429/5xx/auth_failure),
 * measured when the response is committed, so gateway-made errors (401, 429, 503…) are counted like forwarded ones.
 * Its fixed buckets give a p99 per route.
 */
@Component
final class RouteMetricsWebFilter implements WebFilter, Ordered {

    private final MeterRegistry meters;
    // per route id, one timer per outcome (Outcomes.NAMES), made on first use
    private final java.util.Map<String, Timer[]> timers = new java.util.concurrent.ConcurrentHashMap<>();

    RouteMetricsWebFilter(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith("/api/") || WarmUpRequests.isWarmUp(exchange)) {
            return chain.filter(exchange);
        }
        long started = System.nanoTime();
        exchange.getResponse().beforeCommit(() -> {
            record(exchange, System.nanoTime() - started);
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    private void record(ServerWebExchange exchange, long nanos) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        boolean authFailure = exchange.getAttribute(Outcomes.AUTH_FAILURE_ATTRIBUTE) != null;
        var routeId = route == null ? "none" : route.getId();
        int outcome = Outcomes.index(exchange.getResponse().getStatusCode(), authFailure);
        var byOutcome = timers.computeIfAbsent(routeId, id -> new Timer[Outcomes.NAMES.length]);
        var timer = byOutcome[outcome];
        if (timer == null) {
            // a benign race: two threads may build the same timer; the registry hands both the same one
            timer = Timer.builder("gateway.requests")
                    .description("Requests through the gateway by route and outcome")
                    .tag("route", routeId)
                    .tag("outcome", Outcomes.NAMES[outcome])
                    .serviceLevelObjectives(LatencyBuckets.slo())
                    .register(meters);
            byOutcome[outcome] = timer;
        }
        timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
