package io.runway.gateway.ratelimit;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.web.RequestIds;
import io.runway.gateway.resilience.BreakerMeters;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Runs the sliding-window script in Redis: once per request for limits under {@code 2 × lease divisor}, once per
 * batch of permits for higher ones, and not again for a principal while Redis's refusal stands (see {@link
 * LocalAllowance}). Fails open: when Redis errors, is slower than the configured timeout, or
 * the {@code redis-rate-limit} circuit breaker is open, the request is admitted, logged (on breaker transitions) and
 * counted in {@code gateway.ratelimit.fail.open}; the open breaker answers at once, so latency stays flat while Redis
 * is down.
 */
@Component
class SlidingWindowLimiter {

    static final String BREAKER = "redis-rate-limit";

    private static final int MAX_ALLOWANCES = 100_000;

    private static final Logger log = LoggerFactory.getLogger(SlidingWindowLimiter.class);

    private final ScriptCall script;
    private final RateLimitProperties properties;
    private final CircuitBreaker breaker;
    private final BreakerMeters breakerMeters;
    private final Counter failOpen;
    private final String keyPrefix;
    private final Counter leases;
    private final Map<String, LocalAllowance> allowances = new ConcurrentHashMap<>();

    SlidingWindowLimiter(
            ScriptCall script,
            RateLimitProperties properties,
            CircuitBreakerRegistry breakers,
            BreakerMeters breakerMeters,
            MeterRegistry meters,
            @Value("${app.redis.key-prefix:}") String keyPrefix) {
        this.script = script;
        this.properties = properties;
        this.breaker = breakers.circuitBreaker(BREAKER);
        this.breakerMeters = breakerMeters;
        this.failOpen = Counter.builder("gateway.ratelimit.fail.open")
                .description("Requests admitted without a rate-limit check because Redis was unavailable")
                .register(meters);
        this.keyPrefix = keyPrefix;
        this.leases = Counter.builder("gateway.ratelimit.leases")
                .description("Batches of more than one permit leased from Redis for local allowances")
                .register(meters);
        breaker.getEventPublisher()
                .onStateTransition(event -> log.warn(
                        "Rate-limit Redis circuit breaker {}: requests are {} rate-limited",
                        event.getStateTransition(),
                        event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED ? "again" : "not"));
    }

    Mono<RateLimitDecision> check(RateLimitProperties.Rule rule, String principalKey) {
        // The braces make the whole key its own hash slot: one key per call, so any Redis Cluster node can run it.
        var key = keyPrefix + "rl:{" + rule.name() + ":" + principalKey + "}";
        var allowance = allowances.get(key);
        long now = System.nanoTime();
        if (allowance == null) {
            allowance = allowances.computeIfAbsent(key, k -> new LocalAllowance());
        } else {
            var local = allowance.take(now, rule.limit());
            if (local != null) {
                return Mono.just(local);
            }
        }
        return ask(rule, key, allowance, now);
    }

    private Mono<RateLimitDecision> ask(
            RateLimitProperties.Rule rule, String key, LocalAllowance allowance, long sentAt) {
        var args = new String[] {
            String.valueOf(rule.limit()),
            String.valueOf(rule.window().toMillis()),
            String.valueOf(bucketMillis(rule)),
            String.valueOf(properties.lease().permitsFor(rule))
        };
        var unused = allowance.giveUp(sentAt);
        if (unused != null) {
            args = new String[] {
                args[0], args[1], args[2], args[3], String.valueOf(unused.permits()), String.valueOf(unused.bucket())
            };
        }
        return script.run(new String[] {key}, args)
                .map(result -> {
                    var decision = decision(rule, result);
                    if (result.size() > 6) {
                        allowance.keep(decision, sentAt, number(result.get(5)), number(result.get(6)));
                        forgetExpired(sentAt);
                    }
                    if (decision.granted() > 1) {
                        leases.increment();
                    }
                    return decision;
                })
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorResume(this::failOpen);
    }

    private void forgetExpired(long now) {
        if (allowances.size() > MAX_ALLOWANCES) {
            allowances.values().removeIf(held -> held.expired(now));
        }
    }

    private long bucketMillis(RateLimitProperties.Rule rule) {
        return Math.max(1, rule.window().toMillis() / properties.bucketsPerWindow());
    }

    private Mono<RateLimitDecision> failOpen(Throwable failure) {
        failOpen.increment();
        if (failure instanceof CallNotPermittedException) {
            breakerMeters.notPermitted(BREAKER);
            return Mono.just(RateLimitDecision.unknown());
        }
        return Mono.deferContextual(context -> {
            RequestIds.inMdc(
                    context, () -> log.warn("Rate limit not checked, request admitted: {}", failure.toString()));
            return Mono.just(RateLimitDecision.unknown());
        });
    }

    private static RateLimitDecision decision(RateLimitProperties.Rule rule, List<?> result) {
        boolean admitted = number(result.get(0)) == 1;
        long granted = result.size() > 4 ? number(result.get(4)) : (admitted ? 1 : 0);
        // the spare permits of a lease still count as remaining: this instance hands them out next
        return new RateLimitDecision(
                true,
                admitted,
                rule.limit(),
                number(result.get(1)) + Math.max(0, granted - 1),
                number(result.get(2)),
                number(result.get(3)),
                granted);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
