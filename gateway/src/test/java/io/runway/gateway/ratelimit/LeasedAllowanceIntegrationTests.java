package io.runway.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.TestInfrastructure;
import io.runway.gateway.resilience.BreakerMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Leased permits against the real Redis, with two limiter instances standing for two gateway replicas. The count tests
 * use one bucket per hour-long window, so no lease ends while they run; the window test uses 10 ms buckets to watch
 * leases end.
 */
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
        var rule = rule(1000, Duration.ofHours(1));
        var meters = List.<MeterRegistry>of(new SimpleMeterRegistry(), new SimpleMeterRegistry());
        var replicas = List.of(limiter(meters.get(0)), limiter(meters.get(1)));

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
        var rule = rule(1000, Duration.ofHours(1));
        var limiter = limiter(new SimpleMeterRegistry());

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
    void aLimitUnderTwiceTheDivisorAsksRedisForEveryAdmittedRequestAndStopsAtItsLimit() {
        var rule = rule(30, Duration.ofHours(1));
        var meters = new SimpleMeterRegistry();
        var calls = new AtomicInteger();
        var limiter = limiter(counting(calls), meters, 1);

        for (int i = 0; i < 30; i++) {
            assertThat(limiter.check(rule, "u:tenant/user").block().admitted()).isTrue();
        }

        assertThat(calls).hasValue(30);
        assertThat(meters.get("gateway.ratelimit.leases").counter().count()).isZero();
        assertThat(counted(rule, "u:tenant/user")).isEqualTo("30");
    }

    @Test
    void aRefusalStandsLocallyUntilItsRetryTimeWithoutAskingRedisAgain() {
        var rule = rule(5, Duration.ofHours(1));
        var calls = new AtomicInteger();
        var limiter = limiter(counting(calls), new SimpleMeterRegistry(), 1);
        for (int i = 0; i < 5; i++) {
            limiter.check(rule, "u:tenant/user").block();
        }

        var first = limiter.check(rule, "u:tenant/user").block();
        for (int i = 0; i < 20; i++) {
            var again = limiter.check(rule, "u:tenant/user").block();
            assertThat(again.admitted()).isFalse();
            assertThat(again.known()).isTrue();
            assertThat(again.retryAfterMillis()).isPositive().isLessThanOrEqualTo(first.retryAfterMillis() + 1);
        }

        assertThat(first.admitted()).isFalse();
        assertThat(calls).hasValue(6);
    }

    @Test
    void twoInstancesLeasingNeverAdmitMoreThanTheLimitInAnyWindow() {
        long window = 600;
        int limit = 1000;
        var rule = rule(limit, Duration.ofMillis(window));
        var replicas = List.of(
                limiter(ScriptCallConfiguration.throughTemplate(redis), new SimpleMeterRegistry(), 60),
                limiter(ScriptCallConfiguration.throughTemplate(redis), new SimpleMeterRegistry(), 60));
        var sentAt = new ArrayList<Long>();
        var answeredAt = new ArrayList<Long>();

        long end = System.currentTimeMillis() + 2000;
        for (int i = 0; System.currentTimeMillis() < end; i++) {
            long before = System.currentTimeMillis();
            if (replicas.get(i % 2).check(rule, "s:server-4").block().admitted()) {
                sentAt.add(before);
                answeredAt.add(System.currentTimeMillis());
            }
        }

        // each admission happened between sending and answering: any `limit + 1` of them span a window or more
        for (int i = limit; i < sentAt.size(); i++) {
            assertThat(answeredAt.get(i) - sentAt.get(i - limit)).isGreaterThanOrEqualTo(window);
        }
        assertThat(sentAt.size()).isGreaterThanOrEqualTo(limit * 2);
    }

    @Test
    void permitsLeftWhenTheirBucketEndsAreHandedBackWithTheNextLease() {
        var rule = rule(1000, Duration.ofHours(1));
        var limiter = limiter(ScriptCallConfiguration.throughTemplate(redis), new SimpleMeterRegistry(), 3600);
        // early in a one-second bucket, so the first three share it
        Polling.until(Duration.ofSeconds(3), () -> System.currentTimeMillis() % 1000 < 500);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.check(rule, "s:server-5").block().admitted()).isTrue();
        }
        assertThat(counted(rule, "s:server-5")).isEqualTo("10");

        long nextBucket = (System.currentTimeMillis() / 1000 + 1) * 1000;
        Polling.until(Duration.ofSeconds(3), () -> System.currentTimeMillis() > nextBucket);
        assertThat(limiter.check(rule, "s:server-5").block().admitted()).isTrue();

        // the 7 left of the first lease no longer count; the new lease of 10 does
        assertThat(counted(rule, "s:server-5")).isEqualTo("13");
    }

    @Test
    void permitsLeasedByOneInstanceAreNeverAlsoGivenToAnother() {
        var rule = rule(1000, Duration.ofHours(1));
        var first = limiter(new SimpleMeterRegistry());
        var second = limiter(new SimpleMeterRegistry());
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

    private static RateLimitProperties.Rule rule(int limit, Duration window) {
        return new RateLimitProperties.Rule("r" + UUID.randomUUID(), List.of(), List.of(), List.of(), limit, window);
    }

    private String counted(RateLimitProperties.Rule rule, String principal) {
        return redis.<String, String>opsForHash()
                .get(prefix + "rl:{" + rule.name() + ":" + principal + "}", "s")
                .block();
    }

    private static ScriptCall counting(AtomicInteger calls) {
        var script = ScriptCallConfiguration.throughTemplate(redis);
        return (keys, args) -> {
            calls.incrementAndGet();
            return script.run(keys, args);
        };
    }

    private SlidingWindowLimiter limiter(MeterRegistry meters) {
        return limiter(ScriptCallConfiguration.throughTemplate(redis), meters, 1);
    }

    private SlidingWindowLimiter limiter(ScriptCall script, MeterRegistry meters, int bucketsPerWindow) {
        var properties = new RateLimitProperties(
                true,
                bucketsPerWindow,
                Duration.ofSeconds(2),
                new RateLimitProperties.Lease(100, 1000),
                List.of(),
                false);
        return new SlidingWindowLimiter(
                script, properties, CircuitBreakerRegistry.ofDefaults(), new BreakerMeters(meters), meters, prefix);
    }
}
