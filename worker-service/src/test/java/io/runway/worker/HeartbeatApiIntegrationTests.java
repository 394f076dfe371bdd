package io.runway.worker;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static io.runway.worker.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.Polling;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Heartbeats: answered at once, buffered, stored and published. */
class HeartbeatApiIntegrationTests extends WorkerApiTest {

    @Test
    void heartbeatAnswersAtOnceAndIsStoredAndPublished() throws Exception {
        try (var events = new RedisEvents(redis, prefix + "likepion:events")) {
            post(
                            "/health",
                            """
                            {"server_name":"reported-name","ip":"192.168.1.100","cpu_usage":45.5,"ram_usage":60.2,
                             "disk_usage":30.0,"active_threads":5,"active_tasks":12}
                            """)
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.success")
                    .isEqualTo(true)
                    .jsonPath("$.data.status")
                    .isEqualTo("ok")
                    .jsonPath("$.data.server_id")
                    .isEqualTo(server.toString())
                    .jsonPath("$.data.server_name")
                    .isEqualTo(fixtures.name(server))
                    .jsonPath("$.data.server_time")
                    .isNotEmpty();

            var health = Polling.value(Duration.ofSeconds(5), () -> fixtures.health(server));
            assertThat(health)
                    .containsEntry("reported_name", "reported-name")
                    .containsEntry("ip", "192.168.1.100")
                    .containsEntry("cpu_usage", 45.5f)
                    .containsEntry("active_threads", 5)
                    .containsEntry("active_tasks", 12);
            assertThat(health.get("last_health_check")).isNotNull();
            assertThat(health.get("last_active")).isNotNull();
            var event = events.await(m -> m.contains("\"heartbeat\"") && m.contains(server.toString()));
            assertThat(event).contains("\"server_id\":\"" + server + "\"").contains("\"at\":");
        }
    }

    @Test
    void manyHeartbeatsOfOneServerKeepTheLatest() throws Exception {
        for (int i = 1; i <= 20; i++) {
            post("/health", "{\"active_tasks\":" + i + "}").expectStatus().isOk();
        }
        Polling.value(Duration.ofSeconds(5), () -> {
            var health = fixtures.health(server);
            return health != null && Integer.valueOf(20).equals(health.get("active_tasks")) ? health : null;
        });
    }

    @Test
    void heartbeatWithoutBodyIsAccepted() {
        client.post()
                .uri(API + "/health")
                .header("X-Internal-Token", token(server, "tool"))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void whenBodyIsMalformedOrWronglyTypedThenBadRequest() {
        expectError(post("/health", "{\"cpu_usage\": "), 400, "invalid_request");
        expectError(post("/health", "{\"cpu_usage\": \"lots\"}"), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"server_name\":\"nul\\u0000inside\"}",
                "{\"ip\":\"10.0.0.1\\u0000\"}",
                "{\"server_name\":\"tab\\tinside\"}",
                "{\"cpu_usage\":1e39}",
                "{\"ram_usage\":-0.5}",
                "{\"disk_usage\":100.01}",
                "{\"active_threads\":-1}",
                "{\"active_tasks\":1000001}"
            })
    void heartbeatFieldsPostgresWouldRefuseAreRefusedAndNothingIsBuffered(String body) throws Exception {
        expectError(post("/health", body), 400, "invalid_request");
        expectError(post("/health", "{\"server_name\":\"" + "x".repeat(256) + "\"}"), 400, "invalid_request");

        send(client.post(), "/health", "{\"cpu_usage\": 1.0}", other)
                .expectStatus()
                .isOk();
        Polling.value(Duration.ofSeconds(5), () -> fixtures.health(other));
        assertThat(fixtures.health(server)).isNull();
    }
}
