package io.runway.system;

import io.netty.channel.ChannelOption;
import io.runway.common.testsupport.SseRecorder;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test's HTTP view of one base URL (the gateway or a run-service instance): run API calls and SSE subscriptions,
 * each call bounded by a timeout.
 */
final class RunClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {};

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    /** An HTTP answer read to its end. */
    record Answer(int status, String body, HttpHeaders headers) {

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private final WebClient http;

    RunClient(String baseUrl) {
        // Reactor Netty's shared pool holds 16 connections and queues 32 requests per host: a load test would see its
        // own client refuse most of its requests (PoolAcquirePendingLimitException) before the service is even busy.
        var pool = ConnectionProvider.builder("system-tests")
                .maxConnections(500)
                .pendingAcquireMaxCount(-1)
                .build();
        var connector = new ReactorClientHttpConnector(
                HttpClient.create(pool).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000));
        this.http = WebClient.builder()
                .baseUrl(baseUrl)
                .clientConnector(connector)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(1024 * 1024))
                .build();
    }

    /** The gateway's internal token, as run-service expects it from the gateway. */
    static Consumer<HttpHeaders> internalToken(String token) {
        return headers -> headers.set("X-Internal-Token", token);
    }

    static Consumer<HttpHeaders> bearer(String jwt) {
        return headers -> headers.setBearerAuth(jwt);
    }

    static Consumer<HttpHeaders> anonymous() {
        return headers -> {};
    }

    static String genericEvents(UUID runId) {
        return "/api/v1/automation-runs/" + runId + "/events";
    }

    static String socialKingSse(UUID runId) {
        return "/api/v1/automation/run/" + runId + "/sse";
    }

    /** Saves an automation and starts a run of it; returns the run id. */
    UUID startRun(Consumer<HttpHeaders> auth, String automation, String startBody) {
        var automationId =
                ok(post("/api/v1/automations", auth, automation)).path("id").asString();
        return UUID.fromString(ok(post("/api/v1/automation/run/" + automationId + "/start", auth, startBody))
                .path("data")
                .path("runId")
                .asString());
    }

    void stop(UUID runId, Consumer<HttpHeaders> auth) {
        ok(post("/api/v1/automation/run/" + runId + "/stop", auth, "{}"));
    }

    /** The run's state name on the SocialKing face ({@code running}, {@code canceled}, ...). */
    String status(UUID runId, Consumer<HttpHeaders> auth) {
        return ok(get("/api/v1/automation/run/" + runId + "/status", auth, MediaType.APPLICATION_JSON))
                .path("data")
                .path("status")
                .asString();
    }

    /** The sum of a Prometheus meter's samples in {@code /actuator/prometheus} (0 when absent). */
    double metric(String name) {
        return get("/actuator/prometheus", anonymous(), MediaType.TEXT_PLAIN)
                .body()
                .lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    Answer post(String path, Consumer<HttpHeaders> auth, String json) {
        return postLater(path, auth, json).block(CALL_TIMEOUT);
    }

    Mono<Answer> postLater(String path, Consumer<HttpHeaders> auth, String json) {
        return http.post()
                .uri(path)
                .headers(auth)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(body -> new Answer(
                                response.statusCode().value(),
                                body,
                                response.headers().asHttpHeaders())));
    }

    /** A request read to its end, as an EventSource would send it when {@code accept} is {@code text/event-stream}. */
    Answer get(String path, Consumer<HttpHeaders> auth, MediaType accept) {
        return get(path, auth, accept, null);
    }

    Answer get(String path, Consumer<HttpHeaders> auth, MediaType accept, String lastEventId) {
        return http.get()
                .uri(path)
                .headers(auth)
                .headers(headers -> lastEventId(headers, lastEventId))
                .accept(accept)
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(body -> new Answer(
                                response.statusCode().value(),
                                body,
                                response.headers().asHttpHeaders())))
                .block(CALL_TIMEOUT);
    }

    /** Opens an SSE stream (resuming after {@code lastEventId} when not null) and records it in the background. */
    SseRecorder subscribe(String path, Consumer<HttpHeaders> auth, String lastEventId) {
        return new SseRecorder(responded -> http.get()
                .uri(path)
                .headers(auth)
                .headers(headers -> lastEventId(headers, lastEventId))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToFlux(response -> {
                    responded.accept(response.headers().asHttpHeaders());
                    return response.statusCode().value() == 200
                            ? response.bodyToFlux(SSE)
                            : response.createException().flatMapMany(Flux::error);
                }));
    }

    private static void lastEventId(HttpHeaders headers, String lastEventId) {
        if (lastEventId != null) {
            headers.set("Last-Event-ID", lastEventId);
        }
    }

    private static JsonNode ok(Answer answer) {
        if (answer.status() / 100 != 2) {
            throw new AssertionError("expected a 2xx answer, got " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }
}
