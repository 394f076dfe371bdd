package io.runway.system;

import static io.runway.system.RunClient.internalToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Nothing accepted is lost when an engine dies: two packaged run-service instances on one database execute runs
 * started on both, one is killed with SIGKILL while its runs are mid-flight and starts are still arriving, and the
 * survivor takes its leases over. Every run that exists (every answered start, and any start committed but not
 * answered) ends exactly once, with its events numbered without gap, and every step attempt is recorded once.
 */
@Timeout(180)
class EngineKillIntegrationTests {

    @RegisterExtension
    static final SystemStack stack = SystemStack.gatewayAndRunServices(2)
            .withRunServiceEnv("APP_ENGINE_LEASE", "3s")
            .withRunServiceEnv("APP_ENGINE_RENEW_EVERY", "1s")
            .withRunServiceEnv("APP_ENGINE_SWEEP_EVERY", "500ms");

    private static final String TENANT = "tenant-kill";
    private static final Consumer<HttpHeaders> AUTH = internalToken(TestTokens.user("u1", TENANT));
    private static final int RUNS_PER_INSTANCE = 150;

    /** Five steps, the second a one-second wait, so runs are in flight when the engine dies. */
    private static final String FIVE_STEPS_WITH_A_WAIT =
            """
            {"name": "five", "steps": [
              {"key": "a", "type": "log", "config": {"message": "start"}},
              {"key": "b", "type": "delay", "dependsOn": ["a"], "config": {"seconds": 1}},
              {"key": "c", "type": "log", "dependsOn": ["a"]},
              {"key": "d", "type": "delay", "dependsOn": ["b", "c"], "config": {"seconds": 0}},
              {"key": "e", "type": "log", "dependsOn": ["d"], "config": {"message": "end"}}]}""";

    @Test
    void everyRunStartedOnAKilledEngineEndsExactlyOnceOnTheSurvivor() throws Exception {
        var survivor = new RunClient(stack.runServiceUrl(0));
        var doomed = new RunClient(stack.runServiceUrl(1));
        var automationId = RunClient.JSON
                .readTree(survivor.post("/api/v1/automations", AUTH, FIVE_STEPS_WITH_A_WAIT)
                        .body())
                .path("id")
                .asString();
        var startPath = "/api/v1/automation/run/" + automationId + "/start";

        var answered = Flux.range(0, RUNS_PER_INSTANCE * 2)
                .flatMap(
                        i -> Mono.delay(Duration.ofMillis(i * 4L))
                                .then((i % 2 == 0 ? survivor : doomed).postLater(startPath, AUTH, "{}"))
                                .filter(answer -> answer.status() == 200)
                                .map(answer -> new Answered(
                                        i % 2 == 1,
                                        UUID.fromString(RunClient.JSON
                                                .readTree(answer.body())
                                                .path("data")
                                                .path("runId")
                                                .asString())))
                                .onErrorResume(error -> Mono.empty()),
                        64)
                .collectList()
                .toFuture();
        // Kill the engine once both engines have runs waiting in step b (a cold engine on a busy machine may answer
        // starts well before it executes them) and while starts still arrive.
        var killAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((count("true") < RUNS_PER_INSTANCE / 2 || enginesWaitingInStepB() < 2) && System.nanoTime() < killAt) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        stack.killRunService(1);
        var answers = answered.get(60, TimeUnit.SECONDS);

        var deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (count("status IN ('pending', 'running')") > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }

        long runs = count("true");
        assertThat(answers).as("starts the doomed engine answered").anyMatch(Answered::byDoomed);
        assertThat(runs).as("every answered start exists").isGreaterThanOrEqualTo(answers.size());
        for (var answer : answers) {
            assertThat(count("id = '" + answer.runId() + "' AND status = 'success'"))
                    .as("answered run " + answer.runId())
                    .isOne();
        }
        assertThat(count("status = 'success'")).as("runs that succeeded").isEqualTo(runs);
        assertThat(stack.runDatabaseNumber(
                        """
                        SELECT count(*) FROM runs r WHERE r.tenant_id = '%s' AND 1 <> (
                            SELECT count(*) FROM run_events e WHERE e.run_id = r.id AND e.type = 'run'
                              AND e.status IN ('success', 'failed', 'canceled'))"""
                                .formatted(TENANT)))
                .as("runs without exactly one end event")
                .isZero();
        assertThat(stack.runDatabaseNumber(
                        """
                        SELECT count(*) FROM runs r WHERE r.tenant_id = '%s' AND r.event_seq <> (
                            SELECT count(DISTINCT e.seq) FROM run_events e WHERE e.run_id = r.id AND e.seq <= r.event_seq)
                          OR r.event_seq <> (SELECT max(e.seq) FROM run_events e WHERE e.run_id = r.id)"""
                                .formatted(TENANT)))
                .as("runs whose events have a gap")
                .isZero();
        assertThat(stack.runDatabaseNumber(
                        """
                        SELECT count(*) FROM run_steps s JOIN runs r ON r.id = s.run_id
                        WHERE r.tenant_id = '%s' AND (s.status <> 'success' OR s.attempt - 1 <> (
                            SELECT count(*) FROM run_step_attempts a
                            WHERE a.run_id = s.run_id AND a.step_key = s.step_key))"""
                                .formatted(TENANT)))
                .as("steps not succeeded, or with an attempt not recorded exactly once")
                .isZero();
        assertThat(stack.runDatabaseNumber(
                        """
                        SELECT count(*) FROM run_steps s JOIN runs r ON r.id = s.run_id
                        WHERE r.tenant_id = '%s' AND s.attempt > 1"""
                                .formatted(TENANT)))
                .as("steps re-run after the kill (the doomed engine had runs in flight)")
                .isPositive();
    }

    private record Answered(boolean byDoomed, UUID runId) {}

    private static long enginesWaitingInStepB() {
        return stack.runDatabaseNumber(
                """
                SELECT count(DISTINCT r.lease_owner) FROM runs r JOIN run_steps s ON s.run_id = r.id
                WHERE r.tenant_id = '%s' AND s.step_key = 'b' AND s.status = 'running'"""
                        .formatted(TENANT));
    }

    private static long count(String condition) {
        return stack.runDatabaseNumber(
                "SELECT count(*) FROM runs WHERE tenant_id = '%s' AND %s".formatted(TENANT, condition));
    }
}
