package io.runway.run.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.run.app.RunService;
import io.runway.run.app.StartOptions;
import io.runway.run.automation.Automation;
import io.runway.run.automation.AutomationService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts and engine decisions that arrive together are written together (group commit), and still succeed or fail one
 * by one. One transaction in flight at a time here, so everything submitted meanwhile queues into the next batch.
 */
@SpringBootTest(properties = {"app.engine.writes.max-in-flight=1", "app.engine.writes.max-batch=50"})
@RealInfrastructure
class BatchedWritesIntegrationTests {

    static final String FIVE_STEPS =
            """
            {"name": "five", "steps": [
             {"key": "a", "type": "log", "config": {"message": "start"}},
             {"key": "b", "type": "delay", "dependsOn": ["a"], "config": {"seconds": 0}},
             {"key": "c", "type": "log", "dependsOn": ["a"]},
             {"key": "d", "type": "delay", "dependsOn": ["b", "c"], "config": {"seconds": 0}},
             {"key": "e", "type": "log", "dependsOn": ["d"], "config": {"message": "end"}}]}""";

    @Autowired
    RunService runs;

    @Autowired
    AutomationService automations;

    @Autowired
    RunStore store;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry registry;

    @Autowired
    Clock clock;

    @Test
    void runsStartedTogetherEachRunOnceWithEveryEventOnceAndInOrder() {
        var tenant = "batch-" + UUID.randomUUID();
        var automation = fiveSteps(tenant);
        double batchedBefore = batched("start");

        var started = Flux.range(0, 300)
                .flatMap(
                        i -> runs.start(
                                tenant,
                                "u1",
                                automation.id(),
                                new StartOptions(true, TriggerType.API, null, StartOptions.QUEUE, null)),
                        300)
                .map(run -> run.id())
                .collectList()
                .block(Duration.ofSeconds(60));

        assertThat(started).hasSize(300).doesNotHaveDuplicates();
        awaitCount(
                "SELECT count(*) AS n FROM runs WHERE tenant_id = '%s' AND status = 'success'".formatted(tenant), 300);
        assertThat(batched("start")).as("starts shared transactions").isGreaterThan(batchedBefore + 1);
        // 2 events at the start, 2 per step, 1 at the end: every run has exactly 1..13, no gap, no duplicate.
        var perRun = db.sql(
                        """
                        SELECT e.run_id, count(*) AS n, min(e.seq) AS first, max(e.seq) AS last,
                            count(DISTINCT e.seq) AS distinct_seqs, max(r.event_seq) AS head
                        FROM run_events e JOIN runs r ON r.id = e.run_id
                        WHERE r.tenant_id = :tenant GROUP BY e.run_id""")
                .bind("tenant", tenant)
                .map(row -> List.of(
                        row.get("n", Long.class),
                        row.get("first", Long.class),
                        row.get("last", Long.class),
                        row.get("distinct_seqs", Long.class),
                        row.get("head", Long.class)))
                .all()
                .collectList()
                .block();
        assertThat(perRun).hasSize(300).allSatisfy(counts -> assertThat(counts)
                .containsExactly(13L, 1L, 13L, 13L, 13L));
        var steps = db.sql(
                        """
                        SELECT count(*) AS n FROM run_steps s JOIN runs r ON r.id = s.run_id
                        WHERE r.tenant_id = :tenant AND s.status = 'success' AND s.attempt = 1""")
                .bind("tenant", tenant)
                .map(row -> row.get("n", Long.class))
                .one()
                .block();
        assertThat(steps).isEqualTo(1500);
    }

    @Test
    void aStartThatFailsInsideABatchFailsAloneWithItsOwnError() {
        var tenant = "batch-" + UUID.randomUUID();
        var automation = fiveSteps(tenant);
        double failuresBefore =
                registry.counter("run.batches.failures", "call", "start").count();
        var inserts = new ArrayList<Mono<Object>>();
        for (int i = 0; i < 20; i++) {
            // The eleventh names a version that does not exist: its row breaks the batch's foreign key.
            var version = i == 10 ? UUID.randomUUID() : automation.automationVersionId();
            var run = TestRuns.started(clock, tenant, automation.id(), version);
            inserts.add(store.insert(run, automation.steps(), null, null, false)
                    .<Object>map(Run::id)
                    .onErrorResume(error -> Mono.just(error)));
        }

        var outcomes = Flux.fromIterable(inserts)
                .flatMapSequential(insert -> insert.subscribeOn(Schedulers.parallel()), 20)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(outcomes.get(10)).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(outcomes.stream().filter(UUID.class::isInstance)).hasSize(19);
        assertThat(registry.counter("run.batches.failures", "call", "start").count())
                .as("the bad start broke a shared batch")
                .isGreaterThan(failuresBefore);
        var stored = db.sql("SELECT count(*) AS n FROM runs WHERE tenant_id = :tenant")
                .bind("tenant", tenant)
                .map(row -> row.get("n", Long.class))
                .one()
                .block();
        assertThat(stored).isEqualTo(19);
    }

    @Test
    void aDecisionForARunNoLongerExecutedHereIsLeftOutOfItsBatchAlone() {
        var tenant = "batch-" + UUID.randomUUID();
        var automation = fiveSteps(tenant);
        var owner = "test-owner-" + UUID.randomUUID();
        var lease = clock.instant().plusSeconds(60);
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < 10; i++) {
            ids.add(store.insert(
                            TestRuns.started(clock, tenant, automation.id(), automation.automationVersionId()),
                            automation.steps(),
                            owner,
                            lease,
                            false)
                    .block()
                    .id());
        }
        // Another instance took the fourth run over, and the seventh was canceled.
        db.sql("UPDATE runs SET lease_owner = 'someone-else' WHERE id = :id")
                .bind("id", ids.get(3))
                .then()
                .block();
        db.sql("UPDATE runs SET status = 'canceled', lease_owner = NULL, lease_expires_at = NULL WHERE id = :id")
                .bind("id", ids.get(6))
                .then()
                .block();
        var start = new Transition(List.of(), List.of("a"), null, null, 0, 5);

        var outcomes = Flux.fromIterable(ids)
                .flatMapSequential(
                        id -> store.apply(id, owner, start)
                                .map(locked -> true)
                                .defaultIfEmpty(false)
                                .subscribeOn(Schedulers.parallel()),
                        10)
                .collectList()
                .block(Duration.ofSeconds(30));

        var expected = new ArrayList<Boolean>(java.util.Collections.nCopies(10, true));
        expected.set(3, false);
        expected.set(6, false);
        assertThat(outcomes).containsExactlyElementsOf(expected);
        var running = db.sql(
                        """
                        SELECT r.id, s.status FROM run_steps s JOIN runs r ON r.id = s.run_id
                        WHERE r.tenant_id = :tenant AND s.step_key = 'a' ORDER BY r.id""")
                .bind("tenant", tenant)
                .map(row -> row.get("status", String.class))
                .all()
                .collectList()
                .block();
        var expectedSteps = new ArrayList<String>(java.util.Collections.nCopies(10, "running"));
        expectedSteps.set(3, "pending");
        expectedSteps.set(6, "pending");
        assertThat(running).containsExactlyElementsOf(expectedSteps);
    }

    private Automation fiveSteps(String tenant) {
        return automations
                .create(tenant, "u1", JsonMapper.builder().build().readTree(FIVE_STEPS))
                .block();
    }

    private double batched(String call) {
        var sizes = registry.find("run.batches.size").tag("call", call).summary();
        return sizes == null ? 0 : sizes.totalAmount() - sizes.count();
    }

    private void awaitCount(String sql, long expected) {
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = db.sql(sql).map(row -> row.get("n", Long.class)).one().block();
            if (seen == expected) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(seen).isEqualTo(expected);
    }
}
