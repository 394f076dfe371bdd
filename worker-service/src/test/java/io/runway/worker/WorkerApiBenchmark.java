package io.runway.worker;

import io.netty.channel.ChannelOption;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Loads millions of links for 500 servers, then measures GET /tasks?limit=1000 and PUT /tasks/bulk (500 items)
 * latency and POST /health throughput, straight to the service over loopback. Bounded: the load stops after
 * {@code LOAD_BUDGET} even if fewer than 5 million links are in, and each measurement has a fixed count or duration.
 */
@Tag("benchmark")
// The per-request access log line is turned off: through surefire's stdout pipe it costs more than the request.
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.access=WARN", "logging.level.io.runway.worker.event=ERROR"})
@RealInfrastructure
class WorkerApiBenchmark {

    private static final int SERVERS = 500;
    private static final int REQUESTS = 1000;
    private static final long TARGET_LINKS = Long.getLong("bench.links", 5_000_000L);
    private static final int CHUNK = 250_000;
    private static final Duration LOAD_BUDGET = Duration.ofSeconds(Long.getLong("bench.loadSeconds", 240L));

    // A UUIDv7-shaped id for row n of a family: 48-bit millisecond time, version 7, md5-derived random bits.
    private static final String V7 = "(lpad(to_hex(%s), 12, '0') || '7' || substr(md5(%s::text || '%s'), 1, 3) || '8'"
            + " || substr(md5(%s::text || '%s'), 4, 15))::uuid";

    @Autowired
    DatabaseClient db;

    @LocalServerPort
    int port;

    private final long base = System.currentTimeMillis() - 10_000_000L;

    private String id(String family, String n, long offset) {
        var ms = "(" + (base + offset) + " + " + n + ")";
        return V7.formatted(ms, n, family, n, family);
    }

    @Test
    void benchmark() {
        long links = load();
        var client = HttpClient.create(
                        ConnectionProvider.builder("bench").maxConnections(128).build())
                .baseUrl("http://127.0.0.1:" + port)
                .option(ChannelOption.TCP_NODELAY, true);
        var servers = db.sql("SELECT id FROM servers ORDER BY id")
                .map(row -> row.get("id", UUID.class))
                .all()
                .collectList()
                .block();
        var tokens = servers.stream()
                .map(s -> TestTokens.server(s.toString(), "tool"))
                .toList();

        var phases = List.of(
                System.getProperty("bench.phases", "tasks,bulk,health,mixed").split(","));
        var tasks = phases.contains("tasks") ? measureTasks(client, tokens) : "skipped";
        var bulk = phases.contains("bulk") ? measureBulk(client, servers, tokens) : new BulkFigures(0, "skipped");
        if (phases.contains("health")) {
            // warm-up until the JIT has compiled the path (10 rounds of 9 s at most), not counted
            for (int round = 0; round < 10; round++) {
                var warm = measureHeartbeats(client, tokens, Duration.ofSeconds(9), 64);
                System.out.println("warm-up: " + warm);
            }
        }
        var health =
                phases.contains("health") ? measureHeartbeats(client, tokens, Duration.ofSeconds(15), 64) : "skipped";
        var tasksUnderHeartbeats = phases.contains("mixed") ? measureTasksDuringHeartbeats(client, tokens) : "skipped";
        var plan = explain(servers.get(7));
        var hot = db.sql(
                        """
                        SELECT n_tup_upd, n_tup_hot_upd, pg_relation_size('server_health') AS bytes
                        FROM pg_stat_user_tables WHERE relname = 'server_health'
                        """)
                .fetch()
                .one()
                .block();

        System.out.printf(
                """
                ==== worker-service benchmark (%d links, %d servers, %d requests) ====
                GET /tasks?limit=1000 (sequential, 300 calls): %s
                PUT /tasks/bulk 500 items (sequential, %d calls): %s
                POST /health, 64 in flight for 15 s (after a 90 s warm-up): %s
                GET /tasks?limit=1000 while 32 heartbeats are in flight: %s
                server_health after the run: %s
                plans:
                %s
                """,
                links, SERVERS, REQUESTS, tasks, bulk.calls, bulk.latency, health, tasksUnderHeartbeats, hot, plan);
    }

    private long load() {
        long start = System.nanoTime();
        // Bulk-load like a restore: without the secondary indexes and the counting triggers, then build the indexes
        // (by sort, much faster than row-by-row maintenance) and the per-request counts once.
        var indexes = db.sql(
                        """
                        SELECT indexname, indexdef FROM pg_indexes
                        WHERE tablename = 'links' AND indexname <> 'links_pkey'
                        """)
                .map(row -> row.get("indexdef", String.class))
                .all()
                .collectList()
                .block();
        db.sql(
                        """
                        SELECT string_agg('DROP INDEX ' || indexname, '; ') AS ddl FROM pg_indexes
                        WHERE tablename = 'links' AND indexname <> 'links_pkey'
                        """)
                .map(row -> row.get("ddl", String.class))
                .one()
                .flatMap(ddl -> db.sql(ddl).then())
                .block();
        db.sql("ALTER TABLE links DISABLE TRIGGER USER").then().block();
        db.sql("INSERT INTO servers (id, name, service, status, api_key_hash) SELECT " + id("s", "g", 0)
                        + ", 'bench-' || g, 'tool', 'online', md5('k' || g) FROM generate_series(0, " + (SERVERS - 1)
                        + ") g")
                .then()
                .block();
        db.sql("INSERT INTO requests (id, service_type, name, website, auction_price, target, status, config) SELECT "
                        + id("r", "g", 0) + ", 'entity', 'Campaign ' || g, 'https://target-' || g || '.com', 100,"
                        + " 100000, 'running', '{\"niche\":\"seo\",\"language\":\"en\"}'::jsonb"
                        + " FROM generate_series(0, " + (REQUESTS - 1) + ") g")
                .then()
                .block();
        long loaded = 0;
        while (loaded < TARGET_LINKS
                && Duration.ofNanos(System.nanoTime() - start).compareTo(LOAD_BUDGET) < 0) {
            long from = loaded;
            long to = Math.min(TARGET_LINKS, loaded + CHUNK) - 1;
            // status by the link's rank within its server: 10% pending, 10% queued, 10% running, 10% failed, rest done
            db.sql("INSERT INTO links (id, request_id, service_type, server_id, site_name, email, username, password,"
                            + " about, status, created_at) SELECT " + id("l", "g", 1_000_000) + ", "
                            + id("r", "(g % " + REQUESTS + ")", 0) + ", 'entity', "
                            + id("s", "(g % " + SERVERS + ")", 0)
                            + ", 'site-' || (g % 97) || '.com', 'user' || g || '@gmail.com', 'user' || g, 'pass', 'Bio',"
                            + " CASE (g / " + SERVERS + ") % 10 WHEN 0 THEN 'pending' WHEN 1 THEN 'queued'"
                            + " WHEN 2 THEN 'running' WHEN 3 THEN 'failed' ELSE 'completed' END, now()"
                            + " FROM generate_series(" + from + ", " + to + ") g")
                    .then()
                    .block();
            loaded = to + 1;
            System.out.printf(
                    "loaded %d links in %d s%n",
                    loaded, Duration.ofNanos(System.nanoTime() - start).toSeconds());
        }
        db.sql("ALTER TABLE links ENABLE TRIGGER USER").then().block();
        for (var ddl : indexes) {
            db.sql("SET maintenance_work_mem = '256MB'; " + ddl).then().block();
        }
        System.out.printf(
                "indexes built in %d s%n",
                Duration.ofNanos(System.nanoTime() - start).toSeconds());
        db.sql(
                        """
                        INSERT INTO request_link_counts (request_id, status, count)
                        SELECT request_id, status, count(*) FROM links GROUP BY request_id, status
                        """)
                .then()
                .block();
        db.sql("VACUUM ANALYZE links").then().block();
        db.sql("VACUUM ANALYZE requests").then().block();
        System.out.printf(
                "load done: %d links in %d s%n",
                loaded, Duration.ofNanos(System.nanoTime() - start).toSeconds());
        return loaded;
    }

    private String measureTasks(HttpClient client, List<String> tokens) {
        var latencies = new ArrayList<Long>();
        for (int i = 0; i < 330; i++) {
            var token = tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()));
            long t0 = System.nanoTime();
            var status = client.headers(h -> h.set("X-Internal-Token", token))
                    .get()
                    .uri("/api/v1/worker/tasks?limit=1000")
                    .responseSingle((response, body) ->
                            body.asByteArray().map(b -> response.status().code()))
                    .block();
            if (i >= 30) {
                latencies.add(System.nanoTime() - t0);
            }
            check(status);
        }
        return summary(latencies);
    }

    private record BulkFigures(int calls, String latency) {}

    private BulkFigures measureBulk(HttpClient client, List<UUID> servers, List<String> tokens) {
        var latencies = new ArrayList<Long>();
        int calls = 0;
        for (int s = 0; s < 60; s++) {
            var server = servers.get(s);
            var running = db.sql(
                            "SELECT id FROM links WHERE server_id = :s AND status = 'running' ORDER BY id LIMIT 1000")
                    .bind("s", server)
                    .map(row -> row.get("id", UUID.class))
                    .all()
                    .collectList()
                    .block();
            for (int part = 0; part + 500 <= running.size(); part += 500) {
                var items = new StringBuilder("{\"items\":[");
                for (int i = part; i < part + 500; i++) {
                    if (i > part) {
                        items.append(',');
                    }
                    items.append(
                            i % 5 == 0
                                    ? "{\"link_id\":\"" + running.get(i)
                                            + "\",\"status\":\"failed\",\"error_message\":\"Captcha\"}"
                                    : "{\"link_id\":\"" + running.get(i) + "\",\"status\":\"completed\","
                                            + "\"link_profile\":\"https://example.com/p/" + i + "\"}");
                }
                var body = items.append("]}").toString();
                var token = tokens.get(s);
                long t0 = System.nanoTime();
                var status = client.headers(
                                h -> h.set("X-Internal-Token", token).set("Content-Type", "application/json"))
                        .put()
                        .uri("/api/v1/worker/tasks/bulk")
                        .send(ByteBufFlux.fromString(Mono.just(body)))
                        .responseSingle((response, b) ->
                                b.asByteArray().map(x -> response.status().code()))
                        .block();
                check(status);
                if (calls++ >= 10) {
                    latencies.add(System.nanoTime() - t0);
                }
            }
        }
        return new BulkFigures(latencies.size(), summary(latencies));
    }

    private String measureHeartbeats(HttpClient client, List<String> tokens, Duration duration, int inFlight) {
        var body = "{\"server_name\":\"x\",\"ip\":\"10.0.0.1\",\"cpu_usage\":45.5,\"ram_usage\":60.2,"
                + "\"disk_usage\":30.0,\"active_threads\":5,\"active_tasks\":12}";
        var ok = new AtomicLong();
        var failed = new AtomicLong();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long deadline = System.nanoTime() + duration.toNanos();
        long t0 = System.nanoTime();
        Flux.range(0, Integer.MAX_VALUE)
                .takeWhile(i -> System.nanoTime() < deadline)
                .flatMap(
                        i -> client.headers(h -> h.set("X-Internal-Token", tokens.get(i % tokens.size()))
                                        .set("Content-Type", "application/json"))
                                .post()
                                .uri("/api/v1/worker/health")
                                .send(ByteBufFlux.fromString(Mono.just(body)))
                                .responseSingle((response, b) -> b.asByteArray()
                                        .map(x -> response.status().code()))
                                .doOnNext(code -> (code == 200 ? ok : failed).incrementAndGet()),
                        inFlight)
                .blockLast();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuMicrosPerRequest = (os.getProcessCpuTime() - cpu0) / 1e3 / Math.max(1, ok.get());
        return String.format(
                "%d ok, %d failed, %.0f req/s; JVM CPU (client + service) %.0f µs per request; load average %.1f",
                ok.get(), failed.get(), ok.get() / seconds, cpuMicrosPerRequest, os.getSystemLoadAverage());
    }

    private String measureTasksDuringHeartbeats(HttpClient client, List<String> tokens) {
        var background = Mono.fromCallable(() -> measureHeartbeats(client, tokens, Duration.ofSeconds(12), 32))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .toFuture();
        var result = measureTasks(client, tokens);
        return result + " (heartbeats meanwhile: " + background.join() + ")";
    }

    private String explain(UUID server) {
        var page =
                """
                EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
                SELECT l.id, l.request_id, l.service_type, l.site_id, l.site_name, l.email, l.username, l.password,
                       l.about, l.link_profile, l.link_post, l.status, l.retry_count, l.max_retries,
                       l.details::text AS details, l.started_at, l.created_at, r.name AS request_name,
                       r.website AS request_website, r.type_request, r.auction_price, r.config::text AS config
                FROM links l JOIN requests r ON r.id = l.request_id
                WHERE l.server_id = '%s' AND l.status = ANY('{pending,queued}'::text[])
                ORDER BY l.id LIMIT 1001 OFFSET 0
                """
                        .formatted(server);
        var count =
                """
                EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM links l
                WHERE l.server_id = '%s' AND l.status = ANY('{pending,queued}'::text[])
                """
                        .formatted(server);
        return Flux.just(page, count)
                .concatMap(
                        sql -> db.sql(sql).map(row -> row.get(0, String.class)).all())
                .collectList()
                .map(lines -> String.join("\n", lines))
                .block();
    }

    private static void check(Integer status) {
        if (status == null || status != 200) {
            throw new AssertionError("unexpected status " + status);
        }
    }

    private static String summary(List<Long> nanos) {
        var sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(
                "n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms",
                sorted.length,
                pct(sorted, 0.50),
                pct(sorted, 0.95),
                pct(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
