package io.runway.assign.dispatch;

import io.runway.assign.TestData;
import io.runway.assign.account.AccountLimits;
import io.runway.assign.config.DispatcherProperties;
import io.runway.assign.event.EventPublisher;
import io.runway.assign.event.EventSubscriber;
import io.runway.assign.server.SlotLedger;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dispatcher figures on the local PostgreSQL: assignment throughput with two replicas and 500 servers, death-to-
 * reassignment time with the real loop, fairness for small requests behind a 100,000-link backlog, bulk create p99.
 * {@code -Dbench.links=1000000} sets the backlog of the throughput run (default 300,000 to fit the shared machine).
 */
@Tag("benchmark")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.dispatcher.enabled=false", "logging.level.root=WARN"})
@RealInfrastructure
class DispatchBenchmark {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    DatabaseClient db;

    @Autowired
    AssignmentRepository assignments;

    @Autowired
    SweepRepository sweeps;

    @Autowired
    GenerationRepository generation;

    @Autowired
    SlotLedger slots;

    @Autowired
    AccountLimits accountLimits;

    @Autowired
    EventPublisher events;

    @Autowired
    EventSubscriber subscriber;

    @Autowired
    DispatchMetrics metrics;

    @Autowired
    TransactionalOperator tx;

    @Autowired
    JsonMapper json;

    @Autowired
    DispatcherProperties properties;

    @LocalServerPort
    int port;

    TestData data;

    @Test
    void dispatcherFigures() {
        data = new TestData(db);
        if (!Boolean.getBoolean("bench.skipThroughput")) {
            throughput();
        }
        deathToReassignment();
        fairness();
        bulkCreate();
    }

    Dispatcher replica(DispatcherProperties props) {
        return new Dispatcher(
                assignments,
                sweeps,
                generation,
                slots,
                accountLimits,
                events,
                metrics,
                tx,
                json,
                props,
                Clock.systemUTC());
    }

    void servers(int count, int maxThreads) {
        data.exec("INSERT INTO servers (id, name, api_key_hash, max_threads) SELECT gen_random_uuid(), 'bench-' || g, "
                + "md5(g::text || random()::text), " + maxThreads + " FROM generate_series(1, " + count + ") g");
        data.exec("INSERT INTO server_health (server_id, cpu_usage, ram_usage, disk_usage, last_health_check) "
                + "SELECT id, 10, 10, 10, now() + interval '1 hour' FROM servers");
    }

    void throughput() {
        data.reset();
        var links = Integer.getInteger("bench.links", 300_000);
        servers(500, 20);
        var requests = new ArrayList<UUID>();
        for (int i = 0; i < 10; i++) {
            requests.add(data.request("entity", "running", links, null));
        }
        var loadStart = System.nanoTime();
        data.exec("INSERT INTO links (id, request_id, service_type, status) SELECT gen_random_uuid(), "
                + "(ARRAY['"
                + String.join("','", requests.stream().map(UUID::toString).toList()) + "']::uuid[])"
                + "[1 + g % 10], 'entity', 'pending' FROM generate_series(1, " + links + ") g");
        data.exec("ANALYZE links");
        var loadSeconds = (System.nanoTime() - loadStart) / 1e9;

        var replicas = List.of(dispatcher, replica(properties));
        long assigned = 0;
        long dispatchNanos = 0;
        var budget = Duration.ofSeconds(Long.getLong("bench.seconds", 90)).toNanos();
        while (dispatchNanos < budget) {
            var start = System.nanoTime();
            var round = Flux.fromIterable(replicas)
                    .flatMap(r -> r.assignPending().subscribeOn(Schedulers.boundedElastic()))
                    .reduce(0, Integer::sum)
                    .block();
            dispatchNanos += System.nanoTime() - start;
            assigned += round;
            if (round == 0) {
                break;
            }
            // The fleet finishes everything it was handed (not timed): slots free up for the next fill.
            data.exec("UPDATE links SET status = 'completed', completed_at = now() WHERE status = 'queued'");
            data.exec("UPDATE servers SET active_tasks = 0");
        }
        var perSecond = assigned / (dispatchNanos / 1e9);
        System.out.printf(
                "BENCH throughput: %,d pending links loaded in %.1f s; 500 servers x 20 slots; 2 replicas assigned %,d"
                        + " links in %.1f s of dispatch time = %,.0f links/s%n",
                links, loadSeconds, assigned, dispatchNanos / 1e9, perSecond);
    }

    void deathToReassignment() {
        data.reset();
        var fast = new DispatcherProperties(
                true,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                2,
                Duration.ofMinutes(15),
                Duration.ofSeconds(30),
                Duration.ofMinutes(30),
                95,
                95,
                98,
                1000,
                64,
                50,
                1000,
                false,
                500);
        var victim = data.server("victim", "tool", 200, 10);
        var heir = data.server("heir", "tool", 200, 0);
        data.heartbeat(victim, Instant.now(), 10);
        data.heartbeat(heir, Instant.now(), 10);
        data.links(data.request("entity", "running", 200, null), "entity", "pending", 200);
        var loopDispatcher = replica(fast);
        loopDispatcher.assignPending().block();
        var loop = new DispatchLoop(loopDispatcher, subscriber, metrics, fast, Clock.systemUTC());
        var died = Instant.now();
        data.heartbeat(victim, died, 10);
        loop.start();
        try {
            var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (data.count("SELECT count(*) FROM links WHERE status = 'queued' AND server_id = '" + heir + "'")
                    < 200) {
                data.heartbeat(heir, Instant.now(), 10);
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("links were not reassigned within 30 s");
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            var took = Duration.between(died, Instant.now()).toMillis();
            System.out.printf(
                    "BENCH death-to-reassignment: 200 links moved %d ms after the last heartbeat "
                            + "(heartbeat interval 5 s, dead after 2 intervals, sweep 1 s) = %.2f intervals%n",
                    took, took / 5000.0);
        } finally {
            loop.stop();
        }
    }

    void fairness() {
        data.reset();
        servers(50, 10);
        var big = data.request("entity", "running", 100_000, null);
        data.exec("INSERT INTO links (id, request_id, service_type, status) SELECT gen_random_uuid(), '" + big
                + "', 'entity', 'pending' FROM generate_series(1, 100000)");
        var replicas = List.of(dispatcher, replica(properties));
        Runnable round = () -> Flux.fromIterable(replicas)
                .flatMap(r -> r.assignPending().subscribeOn(Schedulers.boundedElastic()))
                .blockLast();
        round.run();
        var small = new ArrayList<UUID>();
        var created = Instant.now();
        for (int i = 0; i < 50; i++) {
            var request = data.request("entity", "running", 3, null);
            data.links(request, "entity", "pending", 1 + i % 3);
            small.add(request);
        }
        var rounds = 0;
        while (data.count("SELECT count(DISTINCT request_id) FROM links WHERE status <> 'pending' AND request_id <> '"
                        + big + "'")
                < 50) {
            // A tenth of the fleet's work finishes between rounds, so only a few slots free up at a time.
            data.exec("UPDATE links SET status = 'completed' WHERE id IN (SELECT id FROM links WHERE status = "
                    + "'queued' ORDER BY random() LIMIT 50)");
            dispatcher.reconcileAllServers().block();
            round.run();
            rounds++;
        }
        var waits = new ArrayList<Long>();
        for (var request : small) {
            var first =
                    (java.time.OffsetDateTime) data.row("SELECT min(assigned_at) AS t FROM links WHERE request_id = '"
                                    + request + "' AND assigned_at IS NOT NULL")
                            .get("t");
            waits.add(Duration.between(created, first.toInstant()).toMillis());
        }
        Collections.sort(waits);
        System.out.printf(
                "BENCH fairness: 50 small requests behind a 100,000-link backlog (50 servers x 10 slots, 50 slots freed"
                        + " per round): all served within %d round(s); time to first assignment p50 %d ms, p99 %d ms%n",
                rounds, waits.get(24), waits.get(49));
    }

    void bulkCreate() {
        data.reset();
        var request = data.request("entity", "running", 1_000_000, null);
        var links = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 5000; i++) {
            links.add(Map.of(
                    "request_id", request.toString(),
                    "service_type", "entity",
                    "site_name", "site-" + i + ".example",
                    "email", "user" + (i % 200) + "@example.com",
                    "username", "user" + i,
                    "password", "secret-" + i,
                    "about", "Bio of user " + i,
                    "max_retries", 3,
                    "details", Map.of("key", "value-" + i)));
        }
        var body = json.writeValueAsString(Map.of("links", links));
        var client = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .build();
        var token = TestTokens.server(UUID.randomUUID().toString(), "assign");
        var times = new ArrayList<Long>();
        for (int i = 0; i < 25; i++) {
            var start = System.nanoTime();
            client.post()
                    .uri("/api/v1/worker/links/bulk")
                    .header("X-Internal-Token", token)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .retrieve()
                    .bodyToMono(String.class)
                    .block();
            if (i >= 5) {
                times.add((System.nanoTime() - start) / 1_000_000);
            }
        }
        Collections.sort(times);
        System.out.printf(
                "BENCH bulk create: 20 timed calls of 5000 links (after 5 warm-up): p50 %d ms, p99 %d ms, max %d ms; "
                        + "%,d links stored%n",
                times.get(times.size() / 2),
                times.get(times.size() - 1),
                times.get(times.size() - 1),
                data.count("SELECT count(*) FROM links"));
    }
}
