package io.runway.assign.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.assign.TestData;
import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.r2dbc.core.DatabaseClient;

/** The running loop reacts to worker-service events within milliseconds; its periodic sweep is pushed out of the way. */
@SpringBootTest(properties = {"app.dispatcher.enabled=true", "app.dispatcher.sweep-interval=1h"})
@RealInfrastructure
class DispatchLoopIntegrationTests {

    @Autowired
    DatabaseClient db;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    ReactiveRedisConnectionFactory connections;

    @Value("${app.redis.key-prefix}")
    String prefix;

    TestData data;

    @BeforeEach
    void reset() {
        data = new TestData(db);
        data.reset();
    }

    void publish(String json) {
        redis.convertAndSend(prefix + "likepion:events", json).block();
    }

    @Test
    void aHeartbeatAndThenAFinishedLinkEachTriggerAnAssignmentAtOnce() {
        var published = new CopyOnWriteArrayList<String>();
        var container = new ReactiveRedisMessageListenerContainer(connections);
        var listening = container
                .receive(ChannelTopic.of(prefix + "likepion:events"))
                .map(m -> m.getMessage())
                .subscribe(published::add);
        try {
            var server = data.server("loop", "tool", 1, 0);
            data.heartbeat(server, Instant.now(), 10);
            var request = data.request("entity", "running", 10, null);
            var links = data.links(request, "entity", "pending", 2);
            var heartbeat =
                    "{\"type\":\"heartbeat\",\"server_id\":\"" + server + "\",\"at\":\"" + Instant.now() + "\"}";

            var firstMillis =
                    Polling.until(Duration.ofSeconds(10), () -> queued(links.get(0)), () -> publish(heartbeat));

            assertThat(data.count("SELECT active_tasks FROM servers WHERE id = '" + server + "'"))
                    .isEqualTo(1);
            Polling.until(
                    Duration.ofSeconds(5),
                    () -> published.stream()
                            .anyMatch(m -> m.contains("\"link.status\"")
                                    && m.contains(links.get(0).toString())
                                    && m.contains("\"queued\"")),
                    () -> {});

            data.exec("UPDATE links SET status = 'completed', completed_at = now() WHERE id = '" + links.get(0) + "'");
            var finished = "{\"type\":\"link.status\",\"link_id\":\"" + links.get(0) + "\",\"request_id\":\"" + request
                    + "\",\"server_id\":\"" + server + "\",\"status\":\"completed\",\"at\":\"" + Instant.now() + "\"}";
            publish(finished);
            var secondMillis = Polling.until(Duration.ofSeconds(5), () -> queued(links.get(1)), () -> {});

            assertThat(data.count("SELECT active_tasks FROM servers WHERE id = '" + server + "'"))
                    .isEqualTo(1);
            System.out.printf("event-to-assignment: heartbeat %d ms, finished link %d ms%n", firstMillis, secondMillis);
        } finally {
            listening.dispose();
            container.destroy();
        }
    }

    boolean queued(UUID link) {
        return data.count("SELECT count(*) FROM links WHERE status = 'queued' AND id = '" + link + "'") == 1;
    }
}
