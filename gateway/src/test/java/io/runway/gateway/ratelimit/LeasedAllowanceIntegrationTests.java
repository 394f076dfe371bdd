package io.runway.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runway.common.testsupport.TestInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Leased rules against the real Redis, with two limiter instances standing for two gateway replicas. */
class LeasedAllowanceIntegrationTests {

    static LettuceConnectionFactory connections;
    static ReactiveStringRedisTemplate redis;

    final String prefix = "t-" + UUID.randomUUID() + ":";

    @BeforeAll
    static void connect() {
        var server = TestInfrastructure.redis();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new ReactiveStringRedisTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @Test
    void twoInstancesNeverAdmitMoreThanTheLimitAndLeaveAtMostOneLeaseEachUnused() {
        var rule = rule(true, 1000);
        var meters = List.<MeterRegistry>of(new SimpleMeterRegistry(), new SimpleMeterRegistry());
        var replicas = List.of(limiter(rule, meters.get(0)), limiter(rule, meters.get(1)));

        int admitted = 0;
        for (int i = 0; i < 1500; i++) {
            if (replicas.get(i % 2).check(rule, "s:server-1").block().admitted()) {
                admitted++;
            }
        }

        assertThat(admitted).isBetween(1000 - 2 * 10, 1000);
        double leases = meters.stream()
                .mapToDouble(m -> m.get("gateway.ratelimit.leases").counter().count())
                .sum();
        assertThat(leases).isLessThanOrEqualTo(1000 / 10 + 2);
    }

    @Test
    void oneInstanceReportsTheRemainingCountExactlyAcrossLeases() {
        var rule = rule(true, 1000);
        var limiter = limiter(rule, new SimpleMeterRegistry());

        var remaining = new ArrayList<Long>();
        for (int i = 0; i < 25; i++) {
            var decision = limiter.check(rule, "s:server-2").block();
            assertThat(decision.admitted()).isTrue();
            remaining.add(decision.remaining());
        }

        for (int i = 0; i < remaining.size(); i++) {
            assertThat(remaining.get(i)).isEqualTo(999L - i);
        }
    }

    @Test
    void anExactRuleAsksRedisForEveryRequestAndStopsAtItsLimit() {
        var rule = rule(false, 1000);
        var meters = new SimpleMeterRegistry();
        var limiter = limiter(rule, meters);

        for (int i = 0; i < 30; i++) {
            limiter.check(rule, "u:tenant/user").block();
        }

        assertThat(meters.get("gateway.ratelimit.leases").counter().count()).isZero();
        var counted = redis.<String, String>opsForHash()
                .get(prefix + "rl:{" + rule.name() + ":u:tenant/user}", "s")
                .block();
        assertThat(counted).isEqualTo("30");
    }

    @Test
    void permitsLeasedByOneInstanceAreNeverAlsoGivenToAnother() {
        var rule = rule(true, 1000);
        var first = limiter(rule, new SimpleMeterRegistry());
        var second = limiter(rule, new SimpleMeterRegistry());
        for (int i = 0; i < 995; i++) {
            assertThat(first.check(rule, "s:server-3").block().admitted()).isTrue();
        }

        // the first instance has leased all 1000 in batches of 10 and still holds 5
        for (int i = 0; i < 20; i++) {
            assertThat(second.check(rule, "s:server-3").block().admitted()).isFalse();
        }
        for (int i = 0; i < 5; i++) {
            assertThat(first.check(rule, "s:server-3").block().admitted()).isTrue();
        }
        assertThat(first.check(rule, "s:server-3").block().admitted()).isFalse();
    }

    private RateLimitProperties.Rule rule(boolean leased, int limit) {
        return new RateLimitProperties.Rule(
                "r" + UUID.randomUUID(), List.of(), List.of(), List.of(), limit, Duration.ofMinutes(10), leased);
    }

    private SlidingWindowLimiter limiter(RateLimitProperties.Rule rule, MeterRegistry meters) {
        var properties = new RateLimitProperties(
                true, 60, Duration.ofSeconds(2), new RateLimitProperties.Lease(100, 1000), List.of(rule), false);
        return new SlidingWindowLimiter(
                ScriptCallConfiguration.throughTemplate(redis),
                properties,
                CircuitBreakerRegistry.ofDefaults(),
                meters,
                Clock.systemUTC(),
                prefix);
    }
}
