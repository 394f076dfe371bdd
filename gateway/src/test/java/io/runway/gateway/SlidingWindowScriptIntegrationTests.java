package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.TestInfrastructure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rate-limit Lua script against the real Redis, with windows short enough to watch them slide. */
class SlidingWindowScriptIntegrationTests {

    static RedisClient client;
    static RedisCommands<String, String> redis;
    static String script;
    final String key = "t-" + UUID.randomUUID() + ":rl:{test}";

    @BeforeAll
    static void connect() throws IOException {
        var server = TestInfrastructure.redis();
        client = RedisClient.create("redis://" + server.host() + ":" + server.port());
        redis = client.connect().sync();
        try (var in = SlidingWindowScriptIntegrationTests.class.getResourceAsStream("/ratelimit/sliding_window.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void disconnect() {
        client.shutdown();
    }

    List<Long> call(int limit, long windowMs, long bucketMs) {
        return redis.eval(
                script,
                ScriptOutputType.MULTI,
                new String[] {key},
                String.valueOf(limit),
                String.valueOf(windowMs),
                String.valueOf(bucketMs));
    }

    @Test
    void admitsTheLimitThenRefusesUntilTheOldestRequestsLeaveTheWindow() {
        for (int i = 0; i < 3; i++) {
            var admitted = call(3, 1000, 100);
            assertThat(admitted.get(0)).isEqualTo(1L);
            assertThat(admitted.get(1)).isEqualTo(2L - i);
        }
        var refused = call(3, 1000, 100);
        assertThat(refused.get(0)).isZero();
        assertThat(refused.get(3)).isBetween(1L, 1100L);

        long retryAt = System.currentTimeMillis() + refused.get(3);
        Polling.until(java.time.Duration.ofSeconds(3), () -> System.currentTimeMillis() >= retryAt);
        assertThat(call(3, 1000, 100).get(0)).isEqualTo(1L);
    }

    @Test
    void requestsThatLeaveTheWindowNoLongerCountWhileNewerOnesStillDo() {
        for (int i = 0; i < 3; i++) {
            assertThat(call(5, 600, 60).get(0)).isEqualTo(1L);
        }
        long olderLeaveAt = System.currentTimeMillis() + 600 + 60;
        Polling.until(java.time.Duration.ofSeconds(2), () -> System.currentTimeMillis() >= olderLeaveAt - 300);
        assertThat(call(5, 600, 60).get(1)).isEqualTo(1L);
        assertThat(call(5, 600, 60).get(1)).isZero();
        assertThat(call(5, 600, 60).get(0)).isZero();

        Polling.until(java.time.Duration.ofSeconds(2), () -> System.currentTimeMillis() >= olderLeaveAt);
        var afterOlderLeft = call(5, 600, 60);
        assertThat(afterOlderLeft.get(0)).isEqualTo(1L);
        assertThat(afterOlderLeft.get(1)).isEqualTo(2L);
        assertThat(afterOlderLeft.get(2)).isBetween(1L, 400L);
    }

    @Test
    void keyIdleForLongerThanTheWindowStartsAgainWithTheWholeLimit() {
        for (int i = 0; i < 4; i++) {
            call(4, 300, 30);
        }
        assertThat(call(4, 300, 30).get(0)).isZero();
        long idleUntil = System.currentTimeMillis() + 1000;
        Polling.until(java.time.Duration.ofSeconds(2), () -> System.currentTimeMillis() >= idleUntil);
        var fresh = call(4, 300, 30);
        assertThat(fresh.get(0)).isEqualTo(1L);
        assertThat(fresh.get(1)).isEqualTo(3L);
    }

    @Test
    void neverAdmitsMoreThanTheLimitInAnyWindow() {
        long window = 600;
        int limit = 5;
        var sentAt = new ArrayList<Long>();
        var answeredAt = new ArrayList<Long>();
        long end = System.currentTimeMillis() + 2500;
        while (System.currentTimeMillis() < end) {
            long before = System.currentTimeMillis();
            boolean admitted = call(limit, window, window / 10).get(0) == 1L;
            if (admitted) {
                sentAt.add(before);
                answeredAt.add(System.currentTimeMillis());
            }
        }
        // Redis decided each admission between sending and answering: any `limit + 1` of them span a window or more.
        for (int i = limit; i < sentAt.size(); i++) {
            assertThat(answeredAt.get(i) - sentAt.get(i - limit)).isGreaterThanOrEqualTo(window);
        }
        assertThat(sentAt.size()).isGreaterThanOrEqualTo(limit * 3);
        redis.del(key);
    }
}
