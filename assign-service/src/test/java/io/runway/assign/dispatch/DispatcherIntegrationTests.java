package io.runway.assign.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.assign.TestData;
import io.runway.assign.account.AccountLimits;
import io.runway.assign.config.DispatcherProperties;
import io.runway.assign.event.EventPublisher;
import io.runway.assign.server.SlotLedger;
import io.runway.common.testsupport.MutableClock;
import io.runway.common.testsupport.RealInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
        properties = {
            "app.dispatcher.enabled=false",
            "app.dispatcher.heartbeat-interval=30s",
            "app.dispatcher.dead-after-intervals=2",
            "app.dispatcher.stale-timeout=15m",
            "app.dispatcher.retry-backoff=30s",
            "app.dispatcher.assign-batch-size=100"
        })
@RealInfrastructure
@Import(DispatcherIntegrationTests.ClockConfig.class)
class DispatcherIntegrationTests {

    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    static final MutableClock CLOCK = new MutableClock(START);

    @TestConfiguration
    static class ClockConfig {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

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
    DispatchMetrics metrics;

    @Autowired
    TransactionalOperator tx;

    @Autowired
    JsonMapper json;

    @Autowired
    DispatcherProperties properties;

    TestData data;

    @BeforeEach
    void reset() {
        CLOCK.set(START);
        data = new TestData(db);
        data.reset();
    }

    /** A second replica: its own dispatcher object on the same database. */
    Dispatcher secondReplica() {
        return new Dispatcher(
                assignments, sweeps, generation, slots, accountLimits, events, metrics, tx, json, properties, CLOCK);
    }

    UUID liveServer(String name, int maxThreads, int priority, String... types) {
        var id = data.server(name, "tool", maxThreads, priority, types);
        data.heartbeat(id, CLOCK.instant(), 20);
        return id;
    }

    int assign() {
        return dispatcher.assignPending().block();
    }

    long queuedOn(UUID server) {
        return data.count("SELECT count(*) FROM links WHERE status = 'queued' AND server_id = '" + server + "'");
    }

    double deadServersHoldingLinks() {
        return meters.get("dispatcher.servers.dead_holding_links").gauge().value();
    }

    long activeTasks(UUID server) {
        return data.count("SELECT active_tasks FROM servers WHERE id = '" + server + "'");
    }

    @Test
    void fillsLiveServersBestPriorityFirstAndNeverBeyondTheirSlots() {
        var best = liveServer("best", 3, 10);
        var other = liveServer("other", 2, 0);
        var request = data.request("entity", "running", 10, null);
        data.links(request, "entity", "pending", 10);

        var assigned = assign();

        assertThat(assigned).isEqualTo(5);
        assertThat(queuedOn(best)).isEqualTo(3);
        assertThat(queuedOn(other)).isEqualTo(2);
        assertThat(activeTasks(best)).isEqualTo(3);
        assertThat(activeTasks(other)).isEqualTo(2);
        assertThat(data.count("SELECT count(*) FROM links WHERE status = 'queued' AND attempt = 1"))
                .isEqualTo(5);
        assertThat(assign()).isZero();
        assertThat(meters.counter("dispatcher.links.assigned").count()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void skipsDeadBusyOfflineAssignAndOtherTypeServers() {
        var dead = data.server("dead", "tool", 5, 0);
        data.heartbeat(dead, CLOCK.instant().minusSeconds(61), 10);
        var hot = data.server("hot", "tool", 5, 0);
        data.heartbeat(hot, CLOCK.instant(), 99);
        var socialOnly = liveServer("social-only", 5, 0, "social");
        var maintenance = liveServer("maintenance", 5, 0);
        data.exec("UPDATE servers SET status = 'maintenance' WHERE id = '" + maintenance + "'");
        var assignServer = data.server("assigner", "assign", 5, 0);
        data.heartbeat(assignServer, CLOCK.instant(), 10);
        data.server("never-heard", "tool", 5, 0);
        var request = data.request("entity", "running", 10, null);
        data.links(request, "entity", "pending", 10);

        assertThat(assign()).isZero();

        var entityServer = liveServer("entity", 4, 0, "entity", "social");
        assertThat(assign()).isEqualTo(4);
        assertThat(queuedOn(entityServer)).isEqualTo(4);
        assertThat(socialOnly).isNotNull();
    }

    @Test
    void smallRequestsAreNotStarvedByABigBacklog() {
        var server = liveServer("s", 60, 0);
        var big = data.request("entity", "running", 100_000, null);
        data.links(big, "entity", "pending", 5_000);
        var small = new ArrayList<UUID>();
        for (int i = 0; i < 50; i++) {
            var request = data.request("entity", "running", 1, null);
            data.links(request, "entity", "pending", 1);
            small.add(request);
        }

        assertThat(assign()).isEqualTo(60);

        assertThat(queuedOn(server)).isEqualTo(60);
        for (var request : small) {
            assertThat(data.count(
                            "SELECT count(*) FROM links WHERE status = 'queued' AND request_id = '" + request + "'"))
                    .as("small request %s got its link in the first round", request)
                    .isEqualTo(1);
        }
    }

    @Test
    void leavesLinksOfRequestsThatAreNotRunningAndLinksInBackOff() {
        var server = liveServer("s", 10, 0);
        var paused = data.request("entity", "pending", 10, null);
        data.links(paused, "entity", "pending", 3);
        var running = data.request("entity", "running", 10, null);
        var waiting = data.links(running, "entity", "pending", 1).get(0);
        data.exec("UPDATE links SET next_attempt_at = '" + CLOCK.instant().plusSeconds(30) + "' WHERE id = '" + waiting
                + "'");

        assertThat(assign()).isZero();

        CLOCK.advance(Duration.ofSeconds(31));
        data.heartbeat(data.row("SELECT id FROM servers").get("id") instanceof UUID u ? u : null, CLOCK.instant(), 5);
        assertThat(assign()).isEqualTo(1);
    }

    @Test
    void twoReplicasRacingNeverAssignALinkTwiceNorExceedSlots() {
        var servers = new ArrayList<UUID>();
        for (int i = 0; i < 20; i++) {
            servers.add(liveServer("srv-" + i, 25, i % 3));
        }
        for (int r = 0; r < 5; r++) {
            data.links(data.request("entity", "running", 1000, null), "entity", "pending", 400);
        }
        var second = secondReplica();

        var results = Flux.range(0, 6)
                .flatMap(i ->
                        (i % 2 == 0 ? dispatcher : second).assignPending().subscribeOn(Schedulers.boundedElastic()))
                .collectList()
                .block();

        assertThat(results.stream().mapToInt(Integer::intValue).sum()).isEqualTo(500);
        assertThat(data.count("SELECT count(*) FROM links WHERE status = 'queued'"))
                .isEqualTo(500);
        assertThat(data.count("SELECT count(*) FROM links WHERE status = 'queued' AND attempt <> 1"))
                .isZero();
        for (var server : servers) {
            assertThat(queuedOn(server)).isEqualTo(25);
            assertThat(activeTasks(server)).isEqualTo(25);
        }
    }

    @Test
    void twoReplicasNeverHandAnAccountMoreThanItsDailyPosts() {
        data.setting("rate_limit", "max_posts_per_day", "3");
        data.setting("rate_limit", "cooldown_minutes", "0");
        for (int i = 0; i < 10; i++) {
            liveServer("srv-" + i, 50, 0);
        }
        var group = UUID.randomUUID();
        var accounts = List.of(data.account(group, "a@x.test"), data.account(group, "b@x.test"));
        var request = data.request("entity", "running", 100, group);
        for (var account : accounts) {
            for (int i = 0; i < 20; i++) {
                data.link(request, "entity", "pending", null, account);
            }
        }
        var second = secondReplica();

        Flux.range(0, 16)
                .flatMap(i ->
                        (i % 2 == 0 ? dispatcher : second).assignPending().subscribeOn(Schedulers.boundedElastic()))
                .blockLast();

        for (var account : accounts) {
            assertThat(data.count(
                            "SELECT count(*) FROM links WHERE status = 'queued' AND account_id = '" + account + "'"))
                    .isEqualTo(3);
        }
    }

    @Test
    void anAccountWaitsOutItsCooldownAndItsDayResets() {
        data.setting("rate_limit", "max_posts_per_day", "2");
        data.setting("rate_limit", "cooldown_minutes", "5");
        var server = liveServer("s", 50, 0);
        var group = UUID.randomUUID();
        var account = data.account(group, "a@x.test");
        var request = data.request("entity", "running", 100, group);
        for (int i = 0; i < 5; i++) {
            data.link(request, "entity", "pending", null, account);
        }

        var waits = meters.counter("dispatcher.links.quota_waits").count();
        assertThat(assign()).isEqualTo(1);
        assertThat(meters.counter("dispatcher.links.quota_waits").count() - waits)
                .as("the account's other links, claimed in the same round, wait")
                .isEqualTo(4);
        assertThat(assign()).isZero();

        CLOCK.advance(Duration.ofMinutes(5));
        data.heartbeat(server, CLOCK.instant(), 5);
        assertThat(assign()).isEqualTo(1);
        CLOCK.advance(Duration.ofMinutes(10));
        data.heartbeat(server, CLOCK.instant(), 5);
        assertThat(assign()).as("two posts today already").isZero();

        CLOCK.set(Instant.parse("2026-03-03T00:01:00Z"));
        data.heartbeat(server, CLOCK.instant(), 5);
        assertThat(assign()).isEqualTo(1);
    }

    @Test
    void aDeadServersLinksGoBackToThePoolFencedAndAreReassigned() {
        var doomed = liveServer("doomed", 5, 10);
        var request = data.request("entity", "running", 10, null);
        data.links(request, "entity", "pending", 3);
        assertThat(assign()).isEqualTo(3);
        data.exec("UPDATE links SET status = 'running', started_at = '" + CLOCK.instant() + "' WHERE server_id = '"
                + doomed + "' AND id IN (SELECT id FROM links ORDER BY id LIMIT 1)");

        CLOCK.advance(Duration.ofSeconds(59));
        assertThat(dispatcher.reclaimDeadServers().block())
                .as("still within two intervals")
                .isZero();

        CLOCK.advance(Duration.ofSeconds(2));
        var heir = liveServer("heir", 5, 0);
        assertThat(dispatcher.reclaimDeadServers().block()).isEqualTo(3);
        assertThat(deadServersHoldingLinks()).as("found by that sweep").isEqualTo(1);
        assertThat(activeTasks(doomed)).isZero();
        assertThat(data.count("SELECT count(*) FROM links WHERE status = 'pending' AND server_id IS NULL "
                        + "AND attempt = 2"))
                .isEqualTo(3);

        assertThat(assign()).isEqualTo(3);
        assertThat(queuedOn(heir)).isEqualTo(3);
        assertThat(data.count("SELECT count(*) FROM links WHERE attempt = 3")).isEqualTo(3);
        dispatcher.reclaimDeadServers().block();
        assertThat(deadServersHoldingLinks()).as("the next sweep finds none").isZero();
    }

    @Test
    void aLinkRunningTooLongOnALiveServerFailsWithAReasonAndIsRetried() {
        var server = liveServer("slow", 5, 0);
        var request = data.request("entity", "running", 10, null);
        var stale = data.link(request, "entity", "running", server, null);
        var fresh = data.link(request, "entity", "running", server, null);
        data.exec("UPDATE links SET started_at = '" + CLOCK.instant().minus(Duration.ofMinutes(16)) + "' WHERE id = '"
                + stale + "'");
        data.exec("UPDATE links SET started_at = '" + CLOCK.instant().minus(Duration.ofMinutes(10)) + "' WHERE id = '"
                + fresh + "'");
        data.exec("UPDATE servers SET active_tasks = 2 WHERE id = '" + server + "'");

        assertThat(dispatcher.failStaleLinks().block()).isEqualTo(1);

        var row = data.row("SELECT status, error_message FROM links WHERE id = '" + stale + "'");
        assertThat(row.get("status")).isEqualTo("failed");
        assertThat((String) row.get("error_message")).contains("stale").contains("15 minutes");
        assertThat(data.row("SELECT status FROM links WHERE id = '" + fresh + "'")
                        .get("status"))
                .isEqualTo("running");
        assertThat(activeTasks(server)).isEqualTo(1);

        assertThat(dispatcher.retryFailedLinks().block()).isEqualTo(1);
        assertThat(data.row("SELECT status FROM links WHERE id = '" + stale + "'")
                        .get("status"))
                .isEqualTo("pending");
    }

    @Test
    void failedLinksComeBackAfterAGrowingBackOffThenAreCanceledWhenExhausted() {
        var server = liveServer("s", 5, 0);
        var request = data.request("entity", "running", 10, null);
        var link = data.link(request, "entity", "failed", null, null);
        data.exec("UPDATE links SET max_retries = 2 WHERE id = '" + link + "'");

        assertThat(dispatcher.retryFailedLinks().block()).isEqualTo(1);
        var row = data.row("SELECT status, retry_count, next_attempt_at FROM links WHERE id = '" + link + "'");
        assertThat(row.get("status")).isEqualTo("pending");
        assertThat(row.get("retry_count")).isEqualTo(1);
        assertThat(assign()).as("still backing off").isZero();

        CLOCK.advance(Duration.ofSeconds(30));
        data.heartbeat(server, CLOCK.instant(), 5);
        assertThat(assign()).isEqualTo(1);

        data.exec("UPDATE links SET status = 'failed' WHERE id = '" + link + "'");
        dispatcher.reconcileAllServers().block();
        assertThat(dispatcher.retryFailedLinks().block()).isEqualTo(1);
        var second = data.row("SELECT next_attempt_at FROM links WHERE id = '" + link + "'");
        assertThat(second.get("next_attempt_at").toString()).isNotNull();
        assertThat(data.count("SELECT extract(epoch FROM next_attempt_at - '" + CLOCK.instant()
                        + "'::timestamptz)::bigint FROM links WHERE id = '" + link + "'"))
                .isEqualTo(60);

        data.exec("UPDATE links SET status = 'failed' WHERE id = '" + link + "'");
        assertThat(dispatcher.retryFailedLinks().block()).as("retries used up").isZero();
        assertThat(dispatcher.cancelExhaustedLinks().block()).isEqualTo(1);
        assertThat(data.row("SELECT status FROM links WHERE id = '" + link + "'")
                        .get("status"))
                .isEqualTo("canceled");
    }

    @Test
    void runningRequestsBelowTargetGetUnusedSiteAccountPairsSpreadAcrossAccounts() {
        var group = UUID.randomUUID();
        var a = data.account(group, "a@x.test");
        var b = data.account(group, "b@x.test");
        data.account(UUID.randomUUID(), "other-group@x.test");
        data.site("e1.test", "entity");
        data.site("e2.test", "entity");
        data.site("s1.test", "social");
        var request = data.request("entity", "running", 3, group);

        assertThat(dispatcher.generateLinks().block()).isEqualTo(3);

        assertThat(data.count("SELECT count(DISTINCT account_id) FROM links WHERE request_id = '" + request + "'"))
                .isEqualTo(2);
        assertThat(data.count("SELECT count(*) FROM links WHERE request_id = '" + request
                        + "' AND status = 'pending' AND email IN ('a@x.test', 'b@x.test')"
                        + " AND site_name LIKE 'e%'"))
                .isEqualTo(3);
        assertThat(dispatcher.generateLinks().block()).as("target reached").isZero();

        data.exec("UPDATE links SET status = 'canceled' WHERE request_id = '" + request + "'");
        assertThat(dispatcher.generateLinks().block())
                .as("only one unused pair is left")
                .isEqualTo(1);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void accountsWithoutPostsLeftTodayAreNotPaired() {
        data.setting("rate_limit", "max_posts_per_day", "1");
        var group = UUID.randomUUID();
        var spent = data.account(group, "spent@x.test");
        data.account(group, "fresh@x.test");
        data.site("e1.test", "entity");
        data.exec("INSERT INTO account_usage (account_id, day, posts, last_post_at) VALUES ('" + spent
                + "', '2026-03-02', 1, '" + CLOCK.instant() + "')");
        var request = data.request("entity", "running", 5, group);

        assertThat(dispatcher.generateLinks().block()).isEqualTo(1);
        assertThat(data.row("SELECT email FROM links WHERE request_id = '" + request + "'")
                        .get("email"))
                .isEqualTo("fresh@x.test");
    }

    @Test
    void requestsWithNoActiveLinkLeftAreCompleted() {
        var done = data.request("entity", "running", 2, null);
        data.links(done, "entity", "completed", 1);
        data.links(done, "entity", "canceled", 1);
        var busy = data.request("entity", "running", 2, null);
        data.links(busy, "entity", "completed", 1);
        data.links(busy, "entity", "pending", 1);
        var retrying = data.request("entity", "running", 2, null);
        data.links(retrying, "entity", "failed", 1);
        var empty = data.request("entity", "running", 2, null);

        assertThat(dispatcher.completeRequests().block()).isEqualTo(1);

        var row = data.row("SELECT status, completed_at FROM requests WHERE id = '" + done + "'");
        assertThat(row.get("status")).isEqualTo("completed");
        assertThat(row.get("completed_at")).isNotNull();
        for (var other : List.of(busy, retrying, empty)) {
            assertThat(data.row("SELECT status FROM requests WHERE id = '" + other + "'")
                            .get("status"))
                    .isEqualTo("running");
        }
    }

    @Test
    void finishedLinksGiveTheirSlotBack() {
        var server = liveServer("s", 2, 0);
        var request = data.request("entity", "running", 10, null);
        data.links(request, "entity", "pending", 4);
        assertThat(assign()).isEqualTo(2);
        data.exec("UPDATE links SET status = 'completed' WHERE id = (SELECT id FROM links WHERE server_id = '" + server
                + "' ORDER BY id LIMIT 1)");

        assertThat(dispatcher.reconcileServers(List.of(server)).block()).isEqualTo(1);
        assertThat(activeTasks(server)).isEqualTo(1);
        assertThat(assign()).isEqualTo(1);

        data.exec("UPDATE servers SET active_tasks = 0 WHERE id = '" + server + "'");
        dispatcher.sweep().block();
        assertThat(activeTasks(server)).isEqualTo(2);
        assertThat(meters.find("dispatcher.queue.depth")
                        .tag("service_type", "entity")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
    }

    @Test
    void sessionsRunWithoutJitSoClaimsAreNotCompiledEveryTime() {
        assertThat(db.sql("SHOW jit").map(row -> row.get(0, String.class)).one().block())
                .isEqualTo("off");
    }

    @Test
    void requestCountsFollowEveryChange() {
        var request = data.request("entity", "running", 10, null);
        data.links(request, "entity", "pending", 3);
        liveServer("s", 2, 0);
        assign();
        assertThat(data.rows("SELECT status, count FROM request_link_counts WHERE request_id = '" + request
                        + "' AND count > 0 ORDER BY status"))
                .extracting(r -> r.get("status") + "=" + r.get("count"))
                .containsExactly("pending=1", "queued=2");
    }
}
