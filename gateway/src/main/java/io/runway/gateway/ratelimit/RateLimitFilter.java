package io.runway.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.auth.CallerPrincipal;
import io.runway.gateway.auth.AuthenticationFilter;
import io.runway.gateway.error.ErrorResponses;
import io.runway.gateway.warmup.WarmUpRequests;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Applies the matching rate-limit rule per authenticated principal: {@code RateLimit-Limit}, {@code
 * RateLimit-Remaining} and {@code RateLimit-Reset} on every limited response, 429 with {@code Retry-After} in the API
 * face's error shape when the limit is reached.
 */
@Component
final class RateLimitFilter implements GlobalFilter, Ordered {

    private final RateLimitRules rules;
    private final SlidingWindowLimiter limiter;
    private final RateLimitProperties properties;
    private final ErrorResponses errors;
    // one counter per rule, registered at start: a flood of refused requests costs no meter lookup each
    private final Map<String, Counter> rejected;

    RateLimitFilter(
            RateLimitRules rules,
            SlidingWindowLimiter limiter,
            RateLimitProperties properties,
            ErrorResponses errors,
            MeterRegistry meters) {
        this.rules = rules;
        this.limiter = limiter;
        this.properties = properties;
        this.errors = errors;
        this.rejected = properties.rules().stream()
                .map(RateLimitProperties.Rule::name)
                .distinct()
                .collect(Collectors.toUnmodifiableMap(
                        Function.identity(), name -> Counter.builder("gateway.ratelimit.rejected")
                                .tag("rule", name)
                                .register(meters)));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        CallerPrincipal principal = exchange.getAttribute(AuthenticationFilter.PRINCIPAL_ATTRIBUTE);
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        // warm-up requests stay on loopback: no Redis call, no count against anyone's limit
        if (!properties.enabled() || principal == null || route == null || WarmUpRequests.isWarmUp(exchange)) {
            return chain.filter(exchange);
        }
        var request = exchange.getRequest();
        var rule = rules.match(
                route.getId(), request.getMethod().name(), request.getPath().pathWithinApplication());
        if (rule.isEmpty()) {
            return chain.filter(exchange);
        }
        return limiter.check(rule.get(), key(principal)).flatMap(decision -> {
            if (!decision.known()) {
                return chain.filter(exchange);
            }
            var headers = exchange.getResponse().getHeaders();
            headers.set("RateLimit-Limit", String.valueOf(decision.limit()));
            headers.set("RateLimit-Remaining", String.valueOf(decision.remaining()));
            headers.set("RateLimit-Reset", String.valueOf(seconds(decision.resetMillis())));
            if (decision.admitted()) {
                return chain.filter(exchange);
            }
            rejected.get(rule.get().name()).increment();
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds(decision.retryAfterMillis())));
            return errors.write(
                    exchange,
                    HttpStatus.TOO_MANY_REQUESTS,
                    "rate_limited",
                    "Rate limit of " + decision.limit() + " requests per "
                            + rule.get().window().toSeconds() + " s exceeded; retry later");
        });
    }

    private static String key(CallerPrincipal principal) {
        return switch (principal.kind()) {
            case SERVER -> "s:" + principal.id();
            case USER -> "u:" + principal.tenant() + "/" + principal.id();
            case ADMIN -> "a:" + principal.id();
        };
    }

    private static long seconds(long millis) {
        return Math.max(0, (millis + 999) / 1000);
    }

    @Override
    public int getOrder() {
        return AuthenticationFilter.ORDER + 100;
    }
}
