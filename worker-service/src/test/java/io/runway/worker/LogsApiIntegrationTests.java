package io.runway.worker;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.worker.log.LogRetention;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Worker logs: batches stored whole or not at all, and purged after their retention. */
class LogsApiIntegrationTests extends WorkerApiTest {

    @Autowired
    LogRetention retention;

    @Test
    void storesABatchWithServerAndTime() {
        post(
                        "/logs",
                        """
                        {"logs":[{"level":"INFO","message":"Task started: uuid-123"},
                                 {"level":"ERROR","message":"Failed to solve captcha"},
                                 {"level":"WARN","message":"Slow response from site"}]}
                        """)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(true)
                .jsonPath("$.created")
                .isEqualTo(3);
        assertThat(fixtures.count(
                        "SELECT count(*) FROM worker_logs WHERE server_id = :id AND created_at IS NOT NULL", server))
                .isEqualTo(3);
    }

    @Test
    void whenAnyEntryIsBadOrTheBatchTooBigThenNothingIsStored() {
        expectError(
                post(
                        "/logs",
                        "{\"logs\":[{\"level\":\"INFO\",\"message\":\"a\"},{\"level\":\"LOUD\",\"message\":\"b\"}]}"),
                400,
                "invalid_request");
        expectError(post("/logs", "{\"logs\":[{\"level\":\"INFO\"}]}"), 400, "invalid_request");
        var many = String.join(",", java.util.Collections.nCopies(501, "{\"level\":\"INFO\",\"message\":\"m\"}"));
        expectError(post("/logs", "{\"logs\":[" + many + "]}"), 400, "invalid_request");
        expectError(post("/logs", "{}"), 400, "invalid_request");
        expectError(post("/logs", "{\"logs\":[{"), 400, "invalid_request");
        assertThat(fixtures.count("SELECT count(*) FROM worker_logs WHERE server_id = :id", server))
                .isZero();
    }

    @Test
    void purgeDeletesOnlyLogsOlderThanTheRetention() {
        var now = Instant.now();
        for (int i = 0; i < 7; i++) {
            fixtures.oldLog(server, now.minus(15 + i, ChronoUnit.DAYS));
        }
        fixtures.oldLog(server, now.minus(13, ChronoUnit.DAYS));
        fixtures.oldLog(server, now);
        assertThat(retention.purge().block()).isEqualTo(7L);
        assertThat(fixtures.count("SELECT count(*) FROM worker_logs WHERE server_id = :id", server))
                .isEqualTo(2);
    }
}
