package io.runway.gateway.ratelimit;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Runs the sliding-window script in Redis. Fails open: when Redis errors, is slower than the configured timeout, or
 * the {@code redis-rate-limit} circuit breaker is open, the request is admitted, logged (on breaker transitions) and
 * counted in {@code gateway.ratelimit.fail.open}; the open breaker answers at once, so latency stays flat while Redis
 * is down.
 */
@Component
class SlidingWindowLimiter {

    static final String BREAKER = "redis-rate-limit";

    private static final Logger log = LoggerFactory.getLogger(SlidingWindowLimiter.class);

    // Read once: a resource-backed script would check the file for changes on every call.
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SCRIPT = RedisScript.of(scriptText(), List.class);

    private final ReactiveStringRedisTemplate redis;
    private final RateLimitProperties properties;
    private final CircuitBreaker breaker;
    private final Counter failOpen;
    private final String keyPrefix;

    SlidingWindowLimiter(
            ReactiveStringRedisTemplate redis,
            RateLimitProperties properties,
            CircuitBreakerRegistry breakers,
            MeterRegistry meters,
            @Value("${app.redis.key-prefix:}") String keyPrefix) {
        this.redis = redis;
        this.properties = properties;
        this.breaker = breakers.circuitBreaker(BREAKER);
        this.failOpen = Counter.builder("gateway.ratelimit.fail.open")
                .description("Requests admitted without a rate-limit check because Redis was unavailable")
                .register(meters);
        this.keyPrefix = keyPrefix;
        breaker.getEventPublisher()
                .onStateTransition(event -> log.warn(
                        "Rate-limit Redis circuit breaker {}: requests are {} rate-limited",
                        event.getStateTransition(),
                        event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED ? "again" : "not"));
    }

    Mono<RateLimitDecision> check(RateLimitProperties.Rule rule, String principalKey) {
        long windowMs = rule.window().toMillis();
        long bucketMs = Math.max(1, windowMs / properties.bucketsPerWindow());
        // The braces make the whole key its own hash slot: one key per call, so any Redis Cluster node can run it.
        var key = keyPrefix + "rl:{" + rule.name() + ":" + principalKey + "}";
        return redis.execute(
                        SCRIPT,
                        List.of(key),
                        List.of(String.valueOf(rule.limit()), String.valueOf(windowMs), String.valueOf(bucketMs)))
                .next()
                .map(result -> decision(rule, result))
                .timeout(properties.redisTimeout())
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorResume(this::failOpen);
    }

    private Mono<RateLimitDecision> failOpen(Throwable failure) {
        failOpen.increment();
        if (!(failure instanceof CallNotPermittedException)) {
            log.warn("Rate limit not checked, request admitted: {}", failure.toString());
        }
        return Mono.just(RateLimitDecision.unknown());
    }

    private static RateLimitDecision decision(RateLimitProperties.Rule rule, List<?> result) {
        return new RateLimitDecision(
                true,
                number(result.get(0)) == 1,
                rule.limit(),
                number(result.get(1)),
                number(result.get(2)),
                number(result.get(3)));
    }

    private static String scriptText() {
        try (var in = new ClassPathResource("ratelimit/sliding_window.lua").getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
