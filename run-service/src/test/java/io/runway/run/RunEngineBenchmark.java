package io.runway.run;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import io.runway.run.app.RunService;
import io.runway.run.app.StartOptions;
import io.runway.run.runs.TriggerType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

/**
 * Throughput of the engine (runs/s of a five-step automation, with the CPU each run costs the JVM and PostgreSQL),
 * transition and start latency over HTTP and SSE, and latency of history/list over a large runs table. Run: {@code
 * ./mvnw -B verify -Pbench -pl run-service -am -Dtest=RunEngineBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * {@code -Dbench.runs=3000} runs after {@code -Dbench.warmup=5000}, {@code -Dbench.loadSeconds=150} loading budget for the large table, {@code
 * -Dbench.throughputOnly=true} for throughput alone, {@code -Dbench.skipTable=true} to skip the table, {@code
 * -Dbench.traceparent=00-<trace>-<span>-01} to start every run in that trace (as a request carrying it would; {@code -00}
 * for an unsampled one).
 */
@Tag("benchmark")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.r2dbc.pool.max-size=40",
            "logging.level.io.runway=WARN",
            "management.metrics.distribution.percentiles[run.batches]=0.5,0.99",
            "management.metrics.distribution.percentiles[r2dbc.pool.acquire]=0.5,0.99",
            "management.metrics.distribution.percentiles[http.server.requests]=0.5,0.99",
            "management.metrics.distribution.expiry[all]=20s",
            "management.metrics.distribution.buffer-length[all]=1"
        })
@AutoConfigureWebTestClient
@ActiveProfiles("deployed-timings")
@RealInfrastructure
class RunEngineBenchmark {

    static final String FIVE_STEPS =
            """
            [{"key": "a", "type": "log", "config": {"message": "start"}},
             {"key": "b", "type": "delay", "dependsOn": ["a"], "config": {"seconds": 0}},
             {"key": "c", "type": "log", "dependsOn": ["a"]},
             {"key": "d", "type": "delay", "dependsOn": ["b", "c"], "config": {"seconds": 0}},
             {"key": "e", "type": "log", "dependsOn": ["d"], "config": {"message": "end"}}]""";

    @Autowired
    WebTestClient client;

    @Autowired
    RunService runs;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry registry;

    @LocalServerPort
    int port;

    @Autowired
    Propagator propagator;

    @Test
    void throughputLatencyAndQueries() {
        System.out.println("BENCH machine: " + DamonState.describe());
        throughput();
        if (Boolean.getBoolean("bench.throughputOnly")) {
            return;
        }
        latency();
        if (!Boolean.getBoolean("bench.skipTable")) {
            queryLatency();
        }
    }

    void latency() {
        var probe = new EngineLatencyProbe(port, "bench", "bench-latency");
        // Once cold, before the start path is warmed, so that what they compile is compiled before starts are measured.
        transitions(probe, "cold, not counted: ");
        var five = probe.automation(FIVE_STEPS);
        // The throughput phase calls RunService: the HTTP start path is still cold here. A service answers starts for
        // hours, so its steady state is what counts: 18,000 starts at 300/s take the JIT compiler most of the way
        // there, for the start latency and the transitions measured again after it. -Dbench.startWarmupSeconds=0 shows
        // the cold path.
        int warmup = Integer.getInteger("bench.startWarmupSeconds", 60);
        if (warmup > 0) {
            probe.startLatency(five, 300, warmup, "warm-up, not counted: ");
        }
        withBatchTimes(() -> {
            var cpu = CpuTime.now();
            int starts = probe.startLatency(five, 200, 15, "");
            var used = CpuTime.now().minus(cpu);
            System.out.printf(
                    "BENCH   CPU per start (with its run, and the client's share of this JVM): JVM %.2f ms,"
                            + " PostgreSQL %.2f ms%n",
                    used.jvmMillis() / starts, used.postgresMillis() / starts);
            printByThread("BENCH   CPU per start in threads", used, starts);
        });
        transitions(probe, "");
    }

    /** The 40-step chains, start to terminal event on the stream; first cold (not counted), then warm. */
    private void transitions(EngineLatencyProbe probe, String label) {
        var instant = probe.automation(EngineLatencyProbe.chain(40, "log", "{\"message\": \"step\"}"));
        withBatchTimes(() -> probe.transitions(label + "40 instant steps (log)", instant, 40, 0, 200));
        var timed = probe.automation(EngineLatencyProbe.chain(40, "delay", "{\"seconds\": 0.001}"));
        withBatchTimes(() -> probe.transitions(label + "40 steps of 1 ms each (delay)", timed, 40, 1, 50));
    }

    /** Runs a probe and prints how long its batched calls waited and took, on average, meanwhile. */
    private void withBatchTimes(Runnable probe) {
        var calls = new String[] {"automation", "start", "decision"};
        var before = new double[calls.length * 4];
        snapshot(calls, before);
        var acquire = registry.find("r2dbc.pool.acquire").timer();
        double acquiredBefore = acquire == null ? 0 : acquire.count();
        double acquireMillisBefore =
                acquire == null ? 0 : acquire.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
        probe.run();
        var after = new double[calls.length * 4];
        snapshot(calls, after);
        if (acquire != null && acquire.count() > acquiredBefore) {
            System.out.printf(
                    "BENCH   %.0f connections acquired, %.3f ms on average%n",
                    acquire.count() - acquiredBefore,
                    (acquire.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) - acquireMillisBefore)
                            / (acquire.count() - acquiredBefore));
        }
        for (var meter : registry.find("run.batches.duration").timers()) {
            printPercentiles(meter);
        }
        for (var meter : registry.find("run.batches.wait").timers()) {
            printPercentiles(meter);
        }
        for (var meter : registry.find("http.server.requests").timers()) {
            if (String.valueOf(meter.getId().getTag("uri")).endsWith("start")) {
                printPercentiles(meter);
            }
        }
        if (acquire != null) {
            printPercentiles(acquire);
        }
        for (int i = 0; i < calls.length; i++) {
            double waits = after[i * 4] - before[i * 4];
            double batches = after[i * 4 + 2] - before[i * 4 + 2];
            if (batches > 0) {
                System.out.printf(
                        "BENCH   %-10s %6.0f items waited %.2f ms on average; %5.0f batches took %.2f ms on average%n",
                        calls[i],
                        waits,
                        (after[i * 4 + 1] - before[i * 4 + 1]) / waits,
                        batches,
                        (after[i * 4 + 3] - before[i * 4 + 3]) / batches);
            }
        }
    }

    /** The timer's percentiles over its last window (management.metrics.distribution.expiry), as a rough tail. */
    private static void printPercentiles(io.micrometer.core.instrument.Timer timer) {
        var values = timer.takeSnapshot().percentileValues();
        var text = new StringBuilder();
        for (var value : values) {
            text.append(String.format(
                    " p%.0f %.2f ms",
                    value.percentile() * 100, value.value(java.util.concurrent.TimeUnit.MILLISECONDS)));
        }
        System.out.printf(
                "BENCH   %-22s %-10s last window:%s%n",
                timer.getId().getName(), String.valueOf(timer.getId().getTag("call")), text);
    }

    private void snapshot(String[] calls, double[] into) {
        for (int i = 0; i < calls.length; i++) {
            var wait = registry.find("run.batches.wait").tag("call", calls[i]).timer();
            var duration =
                    registry.find("run.batches.duration").tag("call", calls[i]).timer();
            if (wait != null && duration != null) {
                into[i * 4] = wait.count();
                into[i * 4 + 1] = wait.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
                into[i * 4 + 2] = duration.count();
                into[i * 4 + 3] = duration.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }

    void throughput() {
        var api = new RunApi(client, "bench", "bench-engine");
        var automationId = UUID.fromString(api.automation(FIVE_STEPS));
        var options = new StartOptions(true, TriggerType.API, null, StartOptions.QUEUE, null);
        int warmup = Integer.getInteger("bench.warmup", 5000);
        int total = Integer.getInteger("bench.runs", 3000);
        // Long enough for the JIT compiler to settle: a cold JVM spends more CPU compiling than running the engine.
        startAndWait(automationId, options, warmup, warmup);
        var cpu = CpuTime.now();
        long begin = System.nanoTime();
        startAndWait(automationId, options, total, warmup + total);
        double seconds = (System.nanoTime() - begin) / 1e9;
        var used = CpuTime.now().minus(cpu);
        System.out.printf(
                "BENCH engine: %d five-step runs started and finished in %.2f s = %.0f runs/s%n",
                total, seconds, total / seconds);
        System.out.printf(
                "BENCH engine CPU per run: JVM %.2f ms, PostgreSQL %.2f ms (machine: %d cores)%n",
                used.jvmMillis() / total,
                used.postgresMillis() / total,
                Runtime.getRuntime().availableProcessors());
        printByThread("BENCH engine CPU per run in threads", used, total);
        for (var call : new String[] {"start", "decision", "automation"}) {
            var sizes = registry.find("run.batches.size").tag("call", call).summary();
            if (sizes != null) {
                System.out.printf(
                        "BENCH engine %s batches: %d, mean %.1f items, max %.0f%n",
                        call, sizes.count(), sizes.mean(), sizes.max());
            }
        }
    }

    /** The CPU each kind of thread spent per item (run or start), largest first, from 0.05 ms per item. */
    private static void printByThread(String label, CpuTime used, int items) {
        used.threadMillis().entrySet().stream()
                .filter(entry -> entry.getValue() / items >= 0.05)
                .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(entry ->
                        System.out.printf("%s %-22s %.2f ms%n", label, entry.getKey(), entry.getValue() / items));
    }

    /** A start request's context in the trace {@code bench.traceparent} names (its server observation's span). */
    private Context trace() {
        var traceparent = System.getProperty("bench.traceparent");
        if (traceparent == null) {
            return Context.empty();
        }
        var span = propagator
                .extract(Map.of("traceparent", traceparent), Map::get)
                .name("bench start")
                .start();
        var tracing = new TracingObservationHandler.TracingContext();
        tracing.setSpan(span);
        var context = new Observation.Context();
        context.put(TracingObservationHandler.TracingContext.class, tracing);
        var registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(any -> true);
        return Context.of(
                ObservationThreadLocalAccessor.KEY,
                Observation.createNotStarted("bench start", () -> context, registry));
    }

    private void startAndWait(UUID automationId, StartOptions options, int count, long expectedDone) {
        var trace = trace();
        Flux.range(0, count)
                .flatMap(
                        i -> runs.start("bench-engine", "bench", automationId, options)
                                .contextWrite(trace),
                        CONCURRENT_STARTS)
                .then()
                .block(Duration.ofMinutes(5));
        var deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (count("SELECT count(*) AS n FROM runs WHERE tenant_id = 'bench-engine' AND status = 'success'")
                < expectedDone) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("runs did not finish in time");
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    void queryLatency() {
        long loaded = loadRuns(Integer.getInteger("bench.loadSeconds", 150));
        var random = new Random(42);
        System.out.printf("BENCH table: %d runs in total%n", count("SELECT count(*) AS n FROM runs"));
        measure(
                "history default (page 1, desc)",
                random,
                k -> "/api/v1/automation/run/history?_fbAutomationId=" + automation(k));
        measure(
                "history _status=failed",
                random,
                k -> "/api/v1/automation/run/history?_fbAutomationId=" + automation(k) + "&_status=failed&_limit=100");
        measure(
                "history _triggeredBy=api, asc",
                random,
                k -> "/api/v1/automation/run/history?_fbAutomationId=" + automation(k)
                        + "&_triggeredBy=api&_order=asc");
        measure(
                "history page 50 (offset)",
                random,
                k -> "/api/v1/automation/run/history?_fbAutomationId=" + automation(k) + "&_page=50");
        measure("list status=completed limit=100", random, k -> "/api/v1/automation-runs?status=completed&limit=100");
        measure("list limit=1000", random, k -> "/api/v1/automation-runs?limit=1000");
        explain(
                "history page",
                """
                SELECT id FROM runs WHERE tenant_id = 'bench-t7' AND automation_id = '%s' AND status IN ('failed')
                ORDER BY id DESC LIMIT 10 OFFSET 0"""
                        .formatted(automation(7)));
        explain(
                "history count",
                "SELECT count(*) FROM runs WHERE tenant_id = 'bench-t7' AND automation_id = '%s'"
                        .formatted(automation(7)));
        explain(
                "list cursor page",
                """
                SELECT id FROM runs WHERE tenant_id = 'bench-t7' AND status IN ('success')
                  AND id < (SELECT id FROM runs WHERE tenant_id = 'bench-t7' ORDER BY id DESC OFFSET 5000 LIMIT 1)
                ORDER BY id DESC LIMIT 100""");
        System.out.printf("BENCH loaded %d synthetic runs%n", loaded);
    }

    private interface Uri {
        String of(int automation);
    }

    private void measure(String name, Random random, Uri uri) {
        var samples = new ArrayList<Long>();
        var client = this.client
                .mutate()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .build();
        for (int i = 0; i < 600; i++) {
            int k = random.nextInt(AUTOMATIONS);
            var token = TestTokens.user("bench", "bench-t" + (k % TENANTS));
            long begin = System.nanoTime();
            client.get()
                    .uri(uri.of(k))
                    .header("X-Internal-Token", token)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult();
            if (i >= 100) {
                samples.add(System.nanoTime() - begin);
            }
        }
        var sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                "BENCH %-36s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (%d requests)%n",
                name,
                sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6,
                sorted.length);
    }

    /** Starts in flight at once: callers do not wait for each other. */
    static final int CONCURRENT_STARTS = Integer.getInteger("bench.concurrency", 256);

    static final int TENANTS = 100;
    static final int AUTOMATIONS = 1000;

    /** The id the loader gives automation k: PostgreSQL's {@code md5('bench-a' || k)::uuid}. */
    static String automation(int k) {
        try {
            var hex = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5")
                            .digest(("bench-a" + k).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long loadRuns(int budgetSeconds) {
        execute(
                """
                INSERT INTO automations (id, tenant_id, name, current_version_id, version_number, created_by,
                    created_at, updated_at)
                SELECT md5('bench-a' || k)::uuid, 'bench-t' || (k %% %1$d), 'bench ' || k, md5('bench-v' || k)::uuid,
                    1, 'bench', now(), now()
                FROM generate_series(0, %2$d - 1) AS k"""
                        .formatted(TENANTS, AUTOMATIONS));
        execute(
                """
                INSERT INTO automation_versions (id, automation_id, version_number, name, steps, created_by, created_at)
                SELECT md5('bench-v' || k)::uuid, md5('bench-a' || k)::uuid, 1, 'bench', '[]', 'bench', now()
                FROM generate_series(0, %d - 1) AS k"""
                        .formatted(AUTOMATIONS));
        var indexes = db.sql(
                        """
                        SELECT indexname, indexdef FROM pg_indexes
                        WHERE tablename = 'runs' AND indexname <> 'runs_pkey'""")
                .map(row -> new String[] {row.get("indexname", String.class), row.get("indexdef", String.class)})
                .all()
                .collectList()
                .block();
        indexes.forEach(index -> execute("DROP INDEX " + index[0]));
        long begin = System.nanoTime();
        long loaded = 0;
        int chunk = 500_000;
        while ((System.nanoTime() - begin) / 1e9 < budgetSeconds * 0.6 && loaded < 10_000_000) {
            execute(
                    """
                    INSERT INTO runs (id, tenant_id, automation_id, automation_version_id, version_number, status,
                        trigger_type, progress, event_seq, created_at, updated_at, started_at, completed_at)
                    SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7'
                            || substr(md5(g::text), 1, 3) || '8' || substr(md5(g::text), 4, 15))::uuid,
                        'bench-t' || ((g %% %3$d) %% %4$d), md5('bench-a' || (g %% %3$d))::uuid,
                        md5('bench-v' || (g %% %3$d))::uuid, 1,
                        CASE WHEN g %% 10 = 0 THEN 'failed' WHEN g %% 50 = 1 THEN 'canceled' ELSE 'success' END,
                        (ARRAY['manual', 'api', 'schedule'])[1 + g %% 3], 100, 9, ts, ts, ts,
                        ts + interval '2 seconds'
                    FROM generate_series(%1$d, %2$d) AS g,
                         LATERAL (SELECT timestamptz '2025-01-01' + g * interval '3 ms' AS ts) t"""
                            .formatted(loaded, loaded + chunk - 1, AUTOMATIONS, TENANTS));
            loaded += chunk;
            System.out.printf("BENCH loaded %d runs after %.0f s%n", loaded, (System.nanoTime() - begin) / 1e9);
        }
        long indexBegin = System.nanoTime();
        // One session per statement: the memory setting goes in the same (simple-protocol) query as the index build.
        indexes.forEach(index -> execute("SET maintenance_work_mem = '512MB'; " + index[1]));
        execute("VACUUM ANALYZE runs");
        System.out.printf(
                "BENCH load: %d rows in %.0f s, indexes + vacuum %.0f s%n",
                loaded, (indexBegin - begin) / 1e9, (System.nanoTime() - indexBegin) / 1e9);
        return loaded;
    }

    private void explain(String name, String sql) {
        var plan = db.sql("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                .map(row -> row.get(0, String.class))
                .all()
                .collectList()
                .block();
        System.out.println("BENCH plan " + name + ":\n  " + String.join("\n  ", plan));
    }

    private void execute(String sql) {
        db.sql(sql).then().block(Duration.ofMinutes(10));
    }

    private long count(String sql) {
        return db.sql(sql).map(row -> row.get("n", Long.class)).one().block();
    }
}
