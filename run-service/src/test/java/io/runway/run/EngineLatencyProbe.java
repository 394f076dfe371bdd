package io.runway.run;

import io.runway.common.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The engine's latencies as a caller sees them over HTTP: start answered, and start-to-terminal-event on the run's SSE
 * stream. Prints {@code BENCH} lines.
 */
final class EngineLatencyProbe {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() {};

    private final WebClient http;

    EngineLatencyProbe(int port, String user, String tenant) {
        this.http = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("X-Internal-Token", TestTokens.user(user, tenant))
                .build();
    }

    String automation(String stepsJson) {
        return http.post()
                .uri("/api/v1/automations")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"bench\", \"steps\": " + stepsJson + "}")
                .retrieve()
                .bodyToMono(JsonNode.class)
                .map(body -> body.path("id").asString())
                .block(Duration.ofSeconds(30));
    }

    /** A chain of {@code length} steps of the given type and config, each depending on the one before. */
    static String chain(int length, String type, String config) {
        return IntStream.range(0, length)
                .mapToObj(i -> "{\"key\": \"s%d\", \"type\": \"%s\", \"config\": %s%s}"
                        .formatted(i, type, config, i == 0 ? "" : ", \"dependsOn\": [\"s" + (i - 1) + "\"]"))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** Starts a run of the automation and answers its id. */
    String startRun(String automationId) {
        return start(automationId).block(Duration.ofSeconds(30));
    }

    private Mono<String> start(String automationId) {
        return http.post()
                .uri("/api/v1/automation/run/{id}/start", automationId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .retrieve()
                .bodyToMono(JsonNode.class)
                .map(body -> body.path("data").path("runId").asString());
    }

    /** Milliseconds from sending the start request to receiving the run's terminal event on its stream. */
    private Mono<Double> startToEnd(String automationId) {
        return Mono.defer(() -> {
            long begin = System.nanoTime();
            return start(automationId)
                    .flatMap(runId -> http.get()
                            .uri("/api/v1/automation-runs/{id}/events", runId)
                            .accept(MediaType.TEXT_EVENT_STREAM)
                            .retrieve()
                            .bodyToFlux(SSE)
                            .filter(event -> event.data() != null && isTerminal(event.data()))
                            .next())
                    .map(end -> (System.nanoTime() - begin) / 1e6);
        });
    }

    private static boolean isTerminal(String data) {
        return data.contains("\"type\":\"run\"")
                && (data.contains("\"status\":\"completed\"") || data.contains("\"status\":\"failed\""));
    }

    void transitions(String label, String automationId, int steps, double stepMillis, int samples) {
        var times = Flux.range(0, samples + 5)
                .concatMap(i -> startToEnd(automationId))
                .skip(5)
                .collectList()
                .block(Duration.ofMinutes(5));
        var sorted = sorted(times);
        double p50 = Percentiles.of(sorted, 0.50);
        double p99 = Percentiles.of(sorted, 0.99);
        System.out.printf(
                "BENCH transitions %-34s start->terminal event p50 %6.1f ms  p99 %6.1f ms  (%d runs); per step beyond"
                        + " its own %.0f ms: p50 %.2f ms, p99 %.2f ms%n",
                label,
                p50,
                p99,
                sorted.size(),
                stepMillis,
                (p50 - steps * stepMillis) / steps,
                (p99 - steps * stepMillis) / steps);
    }

    /** Starts at a fixed rate for a while, prints how long each start took to be answered, answers how many. */
    int startLatency(String automationId, int perSecond, int seconds, String label) {
        var log = new StartLog(System.nanoTime());
        var times = Flux.interval(Duration.ofNanos(1_000_000_000L / perSecond))
                .take((long) perSecond * seconds)
                .onBackpressureBuffer()
                .flatMap(
                        tick -> Mono.defer(() -> {
                            long begin = System.nanoTime();
                            return start(automationId).map(id -> log.answered(begin, System.nanoTime()));
                        }),
                        Integer.MAX_VALUE)
                .collectList()
                .block(Duration.ofSeconds(seconds + 60L));
        if (label.isEmpty() && System.getProperty("bench.startLog") != null) {
            log.writeTo(Path.of(System.getProperty("bench.startLog")));
        }
        var sorted = sorted(times.subList(perSecond, times.size()));
        System.out.printf(
                "BENCH %sstart latency at %d starts/s for %d s: p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%d starts)%n",
                label,
                perSecond,
                seconds,
                Percentiles.of(sorted, 0.50),
                Percentiles.of(sorted, 0.99),
                sorted.get(sorted.size() - 1),
                sorted.size());
        return times.size();
    }

    /**
     * Every start of a phase as "sent answered-after" in milliseconds from the phase's start, for looking at when the
     * slow ones happen ({@code -Dbench.startLog=<file>}, measured phase only). The first line holds the phase's start
     * in {@code System.nanoTime()} (CLOCK_MONOTONIC), to line the starts up with {@code perf record -k CLOCK_MONOTONIC}.
     */
    private record StartLog(long phaseStart, Queue<long[]> starts) {

        StartLog(long phaseStart) {
            this(phaseStart, new ConcurrentLinkedQueue<>());
        }

        double answered(long sent, long answered) {
            starts.add(new long[] {sent, answered});
            return (answered - sent) / 1e6;
        }

        void writeTo(Path file) {
            var lines = starts.stream()
                    .map(start ->
                            String.format("%.1f %.2f", (start[0] - phaseStart) / 1e6, (start[1] - start[0]) / 1e6));
            try {
                Files.write(
                        file,
                        Stream.concat(Stream.of("phase-start-nanos " + phaseStart), lines)
                                .toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<Double> sorted(List<Double> values) {
        var sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted;
    }
}
