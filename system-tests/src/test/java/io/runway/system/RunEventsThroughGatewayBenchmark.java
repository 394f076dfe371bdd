package io.runway.system;

import static io.runway.system.RunClient.bearer;
import static io.runway.system.RunClient.internalToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;

/**
 * N SSE subscribers of the generic face on R runs, directly to run-service and then through the gateway, with the same
 * load: events committed by the real engine at a fixed total rate. Each run is a set of independent {@code delay}
 * steps ending {@code R / rate} seconds apart (runs offset from one another), held behind a concurrency key until
 * every subscriber is connected, so each step's end is one transaction with one event, announced after commit as
 * always. Prints connect time, deliveries/s and publish-to-receive latency (the event's {@code createdAt}, taken just
 * before its transaction, to the client's decoding of it; same machine, same clock) for both paths. Settings:
 * {@code -Dbench.subscribers} (1,000), {@code -Dbench.runs} (10), {@code -Dbench.eventsPerSecond} (20, all runs
 * together), {@code -Dbench.seconds} (20, per path), {@code -Dbench.warmupSeconds} (10, through the gateway, not
 * reported; rounds of {@code bench.seconds}).
 */
@Tag("benchmark")
class RunEventsThroughGatewayBenchmark {

    @RegisterExtension
    static final SystemStack stack =
            SystemStack.gatewayAndRunServices(1).withJvmArgs("-Xms256m", "-Xmx768m", "-XX:+ExitOnOutOfMemoryError");

    private static final int SUBSCRIBERS = Integer.getInteger("bench.subscribers", 1000);
    private static final int RUNS = Integer.getInteger("bench.runs", 10);
    private static final int EVENTS_PER_SECOND = Integer.getInteger("bench.eventsPerSecond", 20);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final String TENANT = "bench";
    private static final String BLOCKER =
            """
            {"name": "blocker", "steps": [
              {"key": "hold", "name": "Hold", "type": "delay", "dependsOn": [], "config": {"seconds": 3600}}]}""";

    /** A fresh internal token each time: they live ten minutes, and a large run can take longer. */
    private static Consumer<HttpHeaders> direct() {
        return internalToken(TestTokens.user("u1", TENANT));
    }

    private record Result(String path, double connectSeconds, SubscriberLoad.Summary summary) {}

    /** Runs queued behind blockers that hold their concurrency keys: nothing moves until the blockers stop. */
    private record GatedRuns(List<UUID> blockers, List<UUID> runs) {}

    @Test
    void sameLoadDirectlyToRunServiceAndThroughTheGateway() {
        double stepSeconds = (double) RUNS / EVENTS_PER_SECOND;
        int steps = (int) Math.ceil(SECONDS / stepSeconds);
        assertThat(steps).as("steps per run (at most 200 per automation)").isBetween(1, 200);
        var automations = IntStream.range(0, RUNS)
                .mapToObj(run -> automation(steps, stepSeconds, stepSeconds * run / RUNS))
                .toList();
        var runService = new RunClient(stack.runServiceUrl(0));
        var user = bearer(SystemStack.userJwt("u1", TENANT));

        // Unreported: lets both JVMs compile the hot paths, so that neither measured phase pays for it. Each round's
        // runs carry events for SECONDS only, so a longer warm-up is several rounds.
        for (int warmed = 0; warmed < WARMUP_SECONDS; warmed += SECONDS) {
            measure("warm-up", stack.gatewayUrl(), user, runService, automations, steps, SECONDS);
        }
        var results = List.of(
                measure(
                        "direct to run-service",
                        stack.runServiceUrl(0),
                        direct(),
                        runService,
                        automations,
                        steps,
                        SECONDS),
                measure("through the gateway", stack.gatewayUrl(), user, runService, automations, steps, SECONDS));

        System.out.printf(
                "%nSYSTEM RUN-EVENTS BENCHMARK: %d subscribers on %d runs, %d events/s committed by the engine on one"
                        + " run-service instance, %d s each after %d s of warm-up; expected %d deliveries/s%n",
                SUBSCRIBERS,
                RUNS,
                EVENTS_PER_SECOND,
                SECONDS,
                WARMUP_SECONDS,
                (long) EVENTS_PER_SECOND * SUBSCRIBERS / RUNS);
        for (var result : results) {
            var summary = result.summary();
            System.out.printf(
                    Locale.ROOT,
                    "  %-22s connected in %5.1f s, deliveries/s %8.0f, latency p50 %7.1f ms, p99 %7.1f ms,"
                            + " max %7.1f ms, delivered %d of %d%n",
                    result.path(),
                    result.connectSeconds(),
                    summary.deliveriesPerSecond(),
                    summary.percentileMillis(0.50),
                    summary.percentileMillis(0.99),
                    summary.percentileMillis(1.0),
                    summary.delivered(),
                    (long) SUBSCRIBERS * steps);
        }
        assertThat(results)
                .allSatisfy(result -> assertThat(result.summary().delivered()).isPositive());
    }

    /** One load run against one base URL: fresh gated runs, N subscribers, release, measure for a while, clean up. */
    private static Result measure(
            String path,
            String baseUrl,
            Consumer<HttpHeaders> auth,
            RunClient runService,
            List<String> automations,
            int steps,
            int seconds) {
        var gated = gatedRuns(runService, automations);
        long connectStarted = System.nanoTime();
        try (var load = SubscriberLoad.open(baseUrl, auth, gated.runs(), SUBSCRIBERS, SUBSCRIBERS * steps)) {
            load.awaitConnected(CONNECT_TIMEOUT);
            double connectSeconds = (System.nanoTime() - connectStarted) / 1e9;
            load.measuring(true);
            release(runService, gated.blockers());
            LockSupport.parkNanos(Duration.ofSeconds(seconds).plus(GRACE).toNanos());
            load.measuring(false);
            gated.runs().forEach(run -> runService.post("/api/v1/automation/run/" + run + "/stop", direct(), "{}"));
            return new Result(path, connectSeconds, load.summary());
        }
    }

    private static GatedRuns gatedRuns(RunClient runService, List<String> automations) {
        var batch = UUID.randomUUID().toString().substring(0, 8);
        var blockers = new ArrayList<UUID>();
        var runs = new ArrayList<UUID>();
        for (int i = 0; i < automations.size(); i++) {
            var queueBehind = "{\"concurrencyKey\": \"bench-" + batch + "-" + i + "\", \"onConflict\": \"queue\"}";
            blockers.add(runService.startRun(direct(), BLOCKER, queueBehind));
            runs.add(runService.startRun(direct(), automations.get(i), queueBehind));
        }
        assertThat(runs)
                .allSatisfy(run -> assertThat(runService.status(run, direct())).isEqualTo("pending"));
        return new GatedRuns(blockers, runs);
    }

    /** Stops every blocker at once, so that the runs behind them start together. */
    private static void release(RunClient runService, List<UUID> blockers) {
        var answers = Flux.fromIterable(blockers)
                .flatMap(blocker -> runService.postLater("/api/v1/automation/run/" + blocker + "/stop", direct(), "{}"))
                .map(RunClient.Answer::status)
                .collectList()
                .block(Duration.ofSeconds(30));
        assertThat(answers).as("blockers stopped").containsOnly(200);
    }

    /** A run of {@code steps} independent delays ending {@code every} seconds apart, the first after offset + every. */
    private static String automation(int steps, double every, double offset) {
        return IntStream.range(0, steps)
                .mapToObj(i -> String.format(
                        Locale.ROOT,
                        "{\"key\": \"s%d\", \"name\": \"S%d\", \"type\": \"delay\", \"dependsOn\": [],"
                                + " \"config\": {\"seconds\": %.3f}}",
                        i,
                        i,
                        offset + every * (i + 1)))
                .collect(Collectors.joining(",", "{\"name\": \"bench\", \"steps\": [", "]}"));
    }
}
