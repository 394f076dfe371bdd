package io.runway.worker;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static io.runway.worker.Fixtures.token;

import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who may call the worker API: only serving servers of the tool service. */
class WorkerApiIntegrationTests extends WorkerApiTest {

    @Test
    void whenNoInternalTokenThenUnauthorizedInLikepionShape() {
        expectError(client.get().uri(API + "/tasks").exchange(), 401, "unauthorized");
    }

    @Test
    void whenServerIsOfflineThenUnauthorized() {
        var offline = fixtures.server("off", "tool", "offline");
        expectError(
                client.get()
                        .uri(API + "/tasks")
                        .header("X-Internal-Token", token(offline, "tool"))
                        .exchange(),
                401,
                "unauthorized");
    }

    @Test
    void whenServerIsDeactivatedThenItIsRefusedWithinTheCacheTtl() throws Exception {
        get("/tasks").exchange().expectStatus().isOk();
        db.sql("UPDATE servers SET status = 'maintenance' WHERE id = :id")
                .bind("id", server)
                .then()
                .block();
        Polling.value(
                Duration.ofSeconds(5),
                () -> get("/tasks")
                                        .exchange()
                                        .expectBody()
                                        .returnResult()
                                        .getStatus()
                                        .value()
                                == 401
                        ? true
                        : null);
    }

    @Test
    void whenServerIsUnknownThenUnauthorized() {
        expectError(
                client.get()
                        .uri(API + "/tasks")
                        .header("X-Internal-Token", token(UUID.randomUUID(), "tool"))
                        .exchange(),
                401,
                "unauthorized");
    }

    @Test
    void whenCallerIsNotAServerThenUnauthorized() {
        expectError(
                client.get()
                        .uri(API + "/tasks")
                        .header("X-Internal-Token", TestTokens.admin())
                        .exchange(),
                401,
                "unauthorized");
    }
}
