package io.runway.system;

import static io.runway.system.RunClient.internalToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>By default 300 starts at 250/s; {@code -Dkill.starts} and {@code -Dkill.startsPerSecond} make it the engine
 * benchmark's kill under full load (docs/benchmarks.md), and it prints what it measured either way.
 */
@Timeout(600)
class EngineKillIntegrationTests {

    @RegisterExtension
    static final SystemStack stack = SystemStack.gatewayAndRunServices(2)
            .withRunServiceEnv("APP_ENGINE_LEASE", "3s")
            .withRunServiceEnv("APP_ENGINE_RENEW_EVERY", "1s")
            .withRunServiceEnv("APP_ENGINE_SWEEP_EVERY", "500ms");

    private static final String TENANT = "tenant-kill";
    private static final Consumer<HttpHeaders> AUTH = internalToken(TestTokens.user("u1", TENANT));
    private static final int STARTS = Integer.getInteger("kill.starts", 300);
    private static final int STARTS_PER_SECOND = Integer.getInteger("kill.startsPerSecond", 250);

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

        var refusals = new ConcurrentHashMap<String, Integer>();
        long startedAt = System.nanoTime();
        // Starts alternate between the engines; once the doomed one is gone, its share goes to the survivor, as a load
        // balancer would send it, so the load does not halve at the kill.
        var answered = Flux.range(0, STARTS)
                .flatMap(
                        i -> Mono.delay(Duration.ofNanos(i * 1_000_000_000L / STARTS_PER_SECOND))
                                .then(
                                        i % 2 == 0
                                                ? start(survivor, startPath, false)
                                                : start(doomed, startPath, true)
                                                        .onErrorResume(error -> start(survivor, startPath, false)))
                                .onErrorResume(error -> {
                                    refusals.merge(error.getClass().getSimpleName(), 1, Integer::sum);
                                    return Mono.empty();
                                }),
                        STARTS)
                .collectList()
                .toFuture();
        // Kill the engine once both engines have runs waiting in step b (a cold engine on a busy machine may answer
        // starts well before it executes them) and while starts still arrive.
        var killAt = System.nanoTime()
                + Duration.ofSeconds(30 + STARTS / STARTS_PER_SECOND).toNanos();
        while ((count("true") < STARTS / 4 || enginesWaitingInStepB() < 2) && System.nanoTime() < killAt) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        long runsBeforeKill = count("true");
        long killedAt = System.nanoTime();
        stack.killRunService(1);
        var answers = answered.get(120 + 2L * STARTS / STARTS_PER_SECOND, TimeUnit.SECONDS);
        long answeredAt = System.nanoTime();

        var deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (count("status IN ('pending', 'running')") > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        long endedAt = System.nanoTime();

        long runs = count("true");
        System.out.printf(
                "KILL %d starts offered at %d/s: %d answered in %.1f s; engine killed %.1f s in, with %d runs started;"
                        + " all %d runs ended %.1f s after the first start (%.0f runs/s); %d steps re-run;"
                        + " starts not answered: %s%n",
                STARTS,
                STARTS_PER_SECOND,
                answers.size(),
                seconds(answeredAt - startedAt),
                seconds(killedAt - startedAt),
                runsBeforeKill,
                runs,
                seconds(endedAt - startedAt),
                runs / seconds(endedAt - startedAt),
                stack.runDatabaseNumber(
                        "SELECT count(*) FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE r.tenant_id = '%s' AND s.attempt > 1"
                                .formatted(TENANT)),
                refusals);
        assertThat(answers).as("starts the doomed engine answered").anyMatch(Answered::byDoomed);
        assertThat(runs).as("every answered start exists").isGreaterThanOrEqualTo(answers.size());
        var answeredIds =
                answers.stream().map(answer -> answer.runId().toString()).toList();
        assertThat(count("status = 'success' AND id = ANY('{" + String.join(",", answeredIds) + "}'::uuid[])"))
                .as("answered runs that succeeded")
                .isEqualTo(answers.size());
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

    private static Mono<Answered> start(RunClient engine, String startPath, boolean doomed) {
        return engine.postLater(startPath, AUTH, "{}")
                .timeout(Duration.ofSeconds(30))
                .filter(answer -> answer.status() == 200)
                .map(answer -> new Answered(
                        doomed,
                        UUID.fromString(RunClient.JSON
                                .readTree(answer.body())
                                .path("data")
                                .path("runId")
                                .asString())));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

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
