package io.runway.worker.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runway.common.likepion.LikepionEvent;
import io.runway.common.tracing.MessageTracing;
import io.runway.worker.config.WorkerProperties;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

class EventPublisherTests {

    @Test
    void whenRedisIsUnreachableThenPublishingReturnsAtOnceAndTheFailureIsCounted() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", closedPort));
        factory.afterPropertiesSet();
        factory.start();
        var meters = new SimpleMeterRegistry();
        var properties = new WorkerProperties(
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                10,
                Duration.ofMillis(500),
                Duration.ofDays(14),
                Duration.ofHours(1),
                5000);
        var publisher = new EventPublisher(
                new ReactiveStringRedisTemplate(factory),
                JsonMapper.builder().build(),
                properties,
                meters,
                MessageTracing.none(),
                "t:");
        publisher.start();
        try {
            long started = System.nanoTime();
            publisher.publish(LikepionEvent.heartbeat(UUID.randomUUID(), Instant.now()));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));

            var failed = meters.counter("worker.events.failed", "reason", "redis");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (failed.count() < 1 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            assertThat(failed.count()).isEqualTo(1.0);
            assertThat(meters.counter("worker.events.published").count()).isZero();
        } finally {
            publisher.stop();
            factory.destroy();
        }
    }
}
