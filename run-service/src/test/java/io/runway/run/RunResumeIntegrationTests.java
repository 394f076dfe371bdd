package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A run survives the loss of the engine executing it: the test's context is the surviving instance; a second
 * application context on the same database plays the instance that goes away.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // Streams poll PostgreSQL only every minute here: fast delivery must come from the Redis wake-ups.
        properties = "app.run-events.poll-interval=60s")
@AutoConfigureWebTestClient
@RealInfrastructure
class RunResumeIntegrationTests {

    @RegisterExtension
    static final LocalHttpServer server = new LocalHttpServer();

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Autowired
    Environment environment;

    @Autowired
    MeterRegistry meters;

    RunApi survivor;

    @BeforeEach
    void caller() {
        survivor = new RunApi(client, "u1", "tenant-a");
    }

    @Test
    void aRunResumesOnAnotherInstanceWhenItsEngineStopsMidRun() {
        var doomed = secondInstance("engine-doomed");
        var port = doomed.getEnvironment().getProperty("local.server.port");
        var doomedApi = new RunApi(
                WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build(), "u1", "tenant-a");
        var id = doomedApi.automation(
                """
                [{"key": "a", "type": "log"},
                 {"key": "b", "type": "delay", "dependsOn": ["a"], "config": {"seconds": 1.5}},
                 {"key": "c", "type": "log", "dependsOn": ["b"]}]""");
        var runId = doomedApi.start(id, null);
        survivor.awaitStep(runId, "b", "running");
        assertThat(leaseOwner(runId)).isEqualTo("engine-doomed");

        var handOvers = meters.counter("run.engine.leases.taken_over").count();
        doomed.close();

        survivor.awaitStatus(runId, "completed");
        assertThat(meters.counter("run.engine.leases.taken_over").count() - handOvers)
                .as("the survivor took the run over")
                .isEqualTo(1);
        assertThat(survivor.step(runId, "a").path("attempt").asInt()).isEqualTo(1);
        assertThat(survivor.step(runId, "b").path("attempt").asInt()).isEqualTo(2);
        assertThat(survivor.step(runId, "c").path("status").asString()).isEqualTo("completed");
        assertThat(archivedStatuses(runId, "b")).containsExactly("running");
    }

    @Test
    void anEventCommittedOnOneInstanceReachesAStreamOnAnother() {
        try (var other = secondInstance("engine-other")) {
            var port = other.getEnvironment().getProperty("local.server.port");
            var otherApi = new RunApi(
                    WebTestClient.bindToServer()
                            .baseUrl("http://127.0.0.1:" + port)
                            .build(),
                    "u1",
                    "tenant-a");
            var id = otherApi.automation("[{\"key\": \"wait\", \"type\": \"delay\", \"config\": {\"seconds\": 1}},"
                    + " {\"key\": \"after\", \"type\": \"log\", \"dependsOn\": [\"wait\"]}]");
            var runId = otherApi.start(id, null);
            long begin = System.nanoTime();
            var events = survivor.sse("/api/v1/automation-runs/" + runId + "/events", null);
            var seconds = (System.nanoTime() - begin) / 1e9;
            assertThat(RunApi.JSON
                            .readTree(events.get(events.size() - 1).data())
                            .path("status")
                            .asString())
                    .isEqualTo("completed");
            assertThat(leaseOwner(runId)).isNull();
            // Without the wake-up from the other instance the stream would wait for its one-minute poll.
            assertThat(seconds).isLessThan(20);
        }
    }

    private org.springframework.context.ConfigurableApplicationContext secondInstance(String instanceId) {
        var args = new ArrayList<String>();
        for (var name : List.of(
                "db.host",
                "db.port",
                "db.name",
                "db.username",
                "db.password",
                "spring.data.redis.host",
                "spring.data.redis.port",
                "app.redis.key-prefix",
                "app.internal-token.secret",
                "app.run-events.poll-interval")) {
            args.add("--" + name + "=" + environment.getProperty(name, ""));
        }
        args.add("--server.port=0");
        args.add("--management.server.port=0");
        args.add("--app.engine.instance-id=" + instanceId);
        args.add("--logging.structured.format.console=");
        return new SpringApplicationBuilder(RunServiceApplication.class).run(args.toArray(String[]::new));
    }

    @Test
    void anExpiredLeaseLetsTheSweepResumeTheRun() {
        var id = survivor.automation(
                """
                [{"key": "a", "type": "log"},
                 {"key": "b", "type": "delay", "dependsOn": ["a"], "config": {"seconds": 1}},
                 {"key": "c", "type": "log", "dependsOn": ["b"]}]""");
        var runId = survivor.start(id, null);
        survivor.awaitStep(runId, "b", "running");
        expireLeaseAsIfOwnedBy(runId, "engine-gone");

        survivor.awaitStatus(runId, "completed");
        assertThat(survivor.step(runId, "b").path("attempt").asInt()).isEqualTo(2);
        assertThat(leaseOwner(runId)).isNull();
    }

    @Test
    void aStepThatIsNotSafeToRepeatFailsInsteadOfRunningTwice() {
        var id = survivor.automation(
                """
                [{"key": "charge", "type": "http", "config": {"method": "POST", "url": "%s", "timeoutSeconds": 300,
                   "maxAttempts": 1}},
                 {"key": "after", "type": "log", "dependsOn": ["charge"]}]"""
                        .formatted(server.url("/hang/resume-post")));
        var runId = survivor.start(id, null);
        survivor.awaitStep(runId, "charge", "running");
        expireLeaseAsIfOwnedBy(runId, "engine-gone");

        var run = survivor.awaitStatus(runId, "failed");
        assertThat(run.path("error").path("stepKey").asString()).isEqualTo("charge");
        var charge = survivor.step(runId, "charge");
        assertThat(charge.path("status").asString()).isEqualTo("failed");
        assertThat(charge.path("error").path("code").asString()).isEqualTo("interrupted");
        assertThat(survivor.step(runId, "after").path("status").asString()).isEqualTo("pending");
    }

    private void expireLeaseAsIfOwnedBy(String runId, String owner) {
        db.sql(
                        """
                        UPDATE runs SET lease_owner = :owner, lease_expires_at = now() - interval '1 second'
                        WHERE id = CAST(:id AS uuid)""")
                .bind("owner", owner)
                .bind("id", runId)
                .then()
                .block(Duration.ofSeconds(5));
    }

    private String leaseOwner(String runId) {
        return db.sql("SELECT lease_owner FROM runs WHERE id = CAST(:id AS uuid)")
                .bind("id", runId)
                .map(row -> java.util.Optional.ofNullable(row.get("lease_owner", String.class)))
                .one()
                .block(Duration.ofSeconds(5))
                .orElse(null);
    }

    private List<String> archivedStatuses(String runId, String key) {
        return db.sql("SELECT status FROM run_step_attempts WHERE run_id = CAST(:id AS uuid) AND step_key = :key")
                .bind("id", runId)
                .bind("key", key)
                .map(row -> row.get("status", String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(5));
    }
}
