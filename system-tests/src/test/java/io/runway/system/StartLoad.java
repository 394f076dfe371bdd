package io.runway.system;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Starts of one automation sent to run-service instances directly, as a load balancer in front of them would. */
final class StartLoad {

    /** A start that was answered 200, by which engine, with the run it created. */
    record Answered(boolean byDoomed, UUID runId) {}

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String startPath;
    private final Consumer<HttpHeaders> auth;
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();

    private StartLoad(String automationId, Consumer<HttpHeaders> auth) {
        this.startPath = "/api/v1/automation/run/" + automationId + "/start";
        this.auth = auth;
    }

    /**
     * The engine benchmark's five-step automation (RunEngineBenchmark): three log steps and two waits, the first of
     * {@code waitSeconds}, the second of none.
     */
    static String fiveSteps(int waitSeconds) {
        return """
                {"name": "five", "steps": [
                  {"key": "a", "type": "log", "config": {"message": "start"}},
                  {"key": "b", "type": "delay", "dependsOn": ["a"], "config": {"seconds": %d}},
                  {"key": "c", "type": "log", "dependsOn": ["a"]},
                  {"key": "d", "type": "delay", "dependsOn": ["b", "c"], "config": {"seconds": 0}},
                  {"key": "e", "type": "log", "dependsOn": ["d"], "config": {"message": "end"}}]}"""
                .formatted(waitSeconds);
    }

    /** Creates the automation (JSON of {@code POST /api/v1/automations}) for the caller and starts runs of it. */
    static StartLoad of(RunClient engine, Consumer<HttpHeaders> auth, String automation) {
        var id = RunClient.JSON
                .readTree(engine.post("/api/v1/automations", auth, automation).body())
                .path("id")
                .asString();
        return new StartLoad(id, auth);
    }

    /**
     * Offers {@code starts} at {@code perSecond}, alternating between the engines; once the doomed one fails a start,
     * that start and the rest of its share go to the survivor, so the load does not halve when it dies.
     */
    CompletableFuture<List<Answered>> offer(RunClient survivor, RunClient doomed, int starts, int perSecond) {
        return Flux.range(0, starts)
                .flatMap(
                        i -> Mono.delay(Duration.ofNanos(i * 1_000_000_000L / perSecond))
                                .then(
                                        i % 2 == 0
                                                ? start(survivor, false)
                                                : start(doomed, true).onErrorResume(error -> start(survivor, false)))
                                .onErrorResume(error -> {
                                    refusals.merge(error.getClass().getSimpleName(), 1, Integer::sum);
                                    return Mono.empty();
                                }),
                        starts)
                .collectList()
                .toFuture();
    }

    /** Keeps {@code inFlight} starts open on each engine until {@code length} has passed; answers how many answered. */
    long closedLoop(List<RunClient> engines, int inFlight, Duration length) {
        long until = System.nanoTime() + length.toNanos();
        return Flux.fromIterable(engines)
                .flatMap(engine -> Flux.range(0, inFlight).flatMap(slot -> Mono.defer(() -> start(engine, false))
                        .onErrorResume(error -> {
                            refusals.merge(error.getClass().getSimpleName(), 1, Integer::sum);
                            return Mono.empty();
                        })
                        .repeat(() -> System.nanoTime() < until)))
                .count()
                .block(length.plus(START_TIMEOUT.multipliedBy(2)));
    }

    /** Starts that got no 200 answer, by the error's kind. */
    Map<String, Integer> refusals() {
        return Map.copyOf(refusals);
    }

    private Mono<Answered> start(RunClient engine, boolean doomed) {
        return engine.postLater(startPath, auth, "{}")
                .timeout(START_TIMEOUT)
                .filter(answer -> answer.status() == 200)
                .map(answer -> new Answered(
                        doomed,
                        UUID.fromString(RunClient.JSON
                                .readTree(answer.body())
                                .path("data")
                                .path("runId")
                                .asString())));
    }
}
