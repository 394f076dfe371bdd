package io.runway.run.stream;

import static io.runway.run.stream.RunFixtures.JSON;
import static io.runway.run.stream.RunFixtures.TENANT_A;
import static io.runway.run.stream.RunFixtures.TENANT_B;
import static io.runway.run.stream.RunFixtures.await;
import static io.runway.run.stream.RunFixtures.generic;
import static io.runway.run.stream.RunFixtures.socialKing;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.SseRecorder;
import io.runway.run.RunServiceApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.test.StepVerifier;

/**
 * Live run events on real PostgreSQL and Redis with two (and, for the Redis outage, three) run-service instances on one
 * database and one Redis prefix. Instance A is this test's context; B is a second context like it; C cannot reach
 * Redis.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "app.run-events.keep-alive=300ms",
            "app.run-events.subscriber-buffer=256",
            "app.run-events.poll-interval=1s",
            "app.run-events.fallback-poll-interval=200ms"
        })
@RealInfrastructure
class RunEventStreamIntegrationTests {

    private static final List<String> SHARED = List.of(
            "db.host",
            "db.port",
            "db.name",
            "db.username",
            "db.password",
            "spring.data.redis.host",
            "spring.data.redis.port",
            "app.redis.key-prefix",
            "app.internal-token.secret");

    static ConfigurableApplicationContext instanceB;
    static ConfigurableApplicationContext instanceC;

    @Autowired
    ApplicationContext context;

    RunFixtures a;
    RunFixtures b;

    @BeforeEach
    void instances() {
        if (instanceB == null) {
            instanceB = start(context.getEnvironment(), List.of());
        }
        a = new RunFixtures(context);
        b = new RunFixtures(instanceB);
    }

    @AfterAll
    static void stopInstances() {
        if (instanceB != null) {
            instanceB.close();
        }
        if (instanceC != null) {
            instanceC.close();
        }
    }

    /** Starts another run-service on the same database and Redis prefix, with {@code extra} overriding settings. */
    static ConfigurableApplicationContext start(Environment env, List<String> extra) {
        var args = new ArrayList<String>();
        for (var key : SHARED) {
            if (extra.stream().noneMatch(setting -> setting.startsWith(key + "="))) {
                args.add("--" + key + "=" + env.getProperty(key, ""));
            }
        }
        args.add("--server.port=0");
        args.add("--management.server.port=0");
        args.add("--logging.structured.format.console=");
        args.add("--app.run-events.poll-interval=1s");
        args.add("--app.run-events.fallback-poll-interval=200ms");
        extra.forEach(setting -> args.add("--" + setting));
        return new SpringApplicationBuilder(RunServiceApplication.class).run(args.toArray(String[]::new));
    }

    static double count(ApplicationContext instance, String meter) {
        return instance.getBean(MeterRegistry.class).get(meter).counter().count();
    }

    static double gauge(ApplicationContext instance, String meter) {
        return instance.getBean(MeterRegistry.class).get(meter).gauge().value();
    }

    static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    @Test
    void eventCommittedOnInstanceAReachesSubscriberOnInstanceBThroughRedis() {
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var receivedBefore = count(instanceB, "run.events.redis.received");
        try (var subscriber = new SseRecorder(b.stream(generic(runId), TENANT_A, null))) {
            assertThat(subscriber.nextIds(3)).containsExactly(1L, 2L, 3L);

            a.append(runId, 2, "from A");

            var fourth = subscriber.nextEvent();
            assertThat(fourth.id()).isEqualTo("4");
            assertThat(fourth.event()).isEqualTo("step");
            var data = JSON.readTree(fourth.data());
            assertThat(data.path("seq").asLong()).isEqualTo(4);
            assertThat(data.path("runId").asString()).isEqualTo(runId.toString());
            assertThat(data.path("type").asString()).isEqualTo("step");
            assertThat(data.path("stepKey").asString()).isEqualTo("x");
            assertThat(data.path("status").asString()).isEqualTo("running");
            assertThat(data.path("message").asString()).isEqualTo("from A");
            assertThat(data.path("createdAt").asString()).isNotBlank();
            assertThat(subscriber.nextIds(1)).containsExactly(5L);
            // the counter is bumped by B's Redis listener, which may finish after the event already reached the stream
            var deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (count(instanceB, "run.events.redis.received") <= receivedBefore && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            assertThat(count(instanceB, "run.events.redis.received")).isGreaterThan(receivedBefore);
        }
        a.stop(runId);
    }

    @Test
    void runStoppedOnInstanceAEndsStreamOnInstanceBWithTerminalEvent() {
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        try (var subscriber = new SseRecorder(b.stream(generic(runId), TENANT_A, null))) {
            assertThat(subscriber.nextIds(3)).containsExactly(1L, 2L, 3L);

            a.stop(runId);

            var stepCanceled = JSON.readTree(subscriber.nextEvent().data());
            assertThat(stepCanceled.path("type").asString()).isEqualTo("step");
            assertThat(stepCanceled.path("status").asString()).isEqualTo("canceled");
            var terminal = subscriber.nextEvent();
            assertThat(terminal.event()).isEqualTo("run");
            assertThat(JSON.readTree(terminal.data()).path("status").asString()).isEqualTo("canceled");
            subscriber.awaitEnd();
        }
    }

    @Test
    void reconnectWithLastEventIdGetsExactlyTheMissedEventsThenLiveOnes() {
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        a.append(runId, 5, "missed");
        try (var subscriber = new SseRecorder(b.stream(generic(runId), TENANT_A, "5"))) {
            assertThat(subscriber.nextIds(3)).containsExactly(6L, 7L, 8L);
            a.append(runId, 2, "live");
            assertThat(subscriber.nextIds(2)).containsExactly(9L, 10L);
        }
        a.stop(runId);
    }

    @Test
    void eventsCommittedWhileSubscriberConnectsAreNeitherLostNorRepeated() {
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        try (var subscriber = new SseRecorder(b.stream(generic(runId), TENANT_A, "3"))) {
            for (int i = 0; i < 20; i++) {
                a.append(runId, 3, "burst");
            }
            assertThat(subscriber.nextIds(60)).isEqualTo(range(4, 63));
        }
        a.stop(runId);
    }

    @Test
    void eventsWhoseNotificationWasLostAreFilledInBeforeTheNextOne() {
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        try (var subscriber = new SseRecorder(b.stream(generic(runId), TENANT_A, "3"))) {
            a.appendUnannounced(runId, 2, "lost");
            a.append(runId, 1, "announced");
            assertThat(subscriber.nextIds(3)).containsExactly(4L, 5L, 6L);
        }
        a.stop(runId);
    }

    @Test
    void streamStartsWithRetryHintAndKeepsAliveWithCommentsAndUnbufferedHeaders() {
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var response = a.http.get()
                .uri(generic(runId))
                .header("X-Internal-Token", TENANT_A)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToFlux(r -> {
                    assertThat(r.statusCode().value()).isEqualTo(200);
                    assertThat(r.headers().contentType())
                            .hasValueSatisfying(type -> assertThat(type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM))
                                    .isTrue());
                    assertThat(r.headers().header("Cache-Control")).containsExactly("no-cache");
                    assertThat(r.headers().header("X-Accel-Buffering")).containsExactly("no");
                    return r.bodyToFlux(RunFixtures.SSE);
                });
        StepVerifier.create(response)
                .assertNext(hello -> assertThat(hello.retry()).isEqualTo(Duration.ofSeconds(3)))
                .expectNextCount(3)
                .assertNext(keepAlive -> {
                    assertThat(keepAlive.data()).isNull();
                    assertThat(keepAlive.comment()).isEqualTo("keep-alive");
                })
                .assertNext(keepAlive -> assertThat(keepAlive.comment()).isEqualTo("keep-alive"))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        a.stop(runId);
    }

    @Test
    void socialKingStreamSendsCurrentStateThenStatusEventsUntilTheRunEnds() {
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        try (var subscriber = new SseRecorder(b.stream(socialKing(runId), TENANT_A, null))) {
            var snapshot = subscriber.nextEvent();
            assertThat(snapshot.id()).isEqualTo("3");
            assertThat(snapshot.event()).isEqualTo("status");
            var data = JSON.readTree(snapshot.data());
            assertThat(data.propertyNames()).containsExactlyInAnyOrder("runId", "status", "progress", "message");
            assertThat(data.path("runId").asString()).isEqualTo(runId.toString());
            assertThat(data.path("status").asString()).isEqualTo("running");
            assertThat(data.path("progress").asInt()).isZero();
            assertThat(data.path("message").asString()).contains("wait");

            a.stop(runId);

            var stepCanceled = JSON.readTree(subscriber.nextEvent().data());
            assertThat(stepCanceled.path("status").asString()).isEqualTo("running");
            var canceled = subscriber.nextEvent();
            assertThat(canceled.id()).isEqualTo("5");
            assertThat(JSON.readTree(canceled.data()).path("status").asString()).isEqualTo("canceled");
            subscriber.awaitEnd();
        }
    }

    @Test
    void finishedRunIsReplayedWithCompletedStatusThenTheStreamEndsAndResumingAtItsEndIsNoContent() {
        var runId = a.startRun(RunFixtures.TWO_LOGS, 1);
        await(() -> a.eventSeq(runId) >= 7, "run finishes");
        var lastSeq = a.eventSeq(runId);

        StepVerifier.create(a.stream(socialKing(runId), TENANT_A, null).filter(e -> e.data() != null))
                .assertNext(last -> {
                    assertThat(last.id()).isEqualTo(Long.toString(lastSeq));
                    var data = JSON.readTree(last.data());
                    assertThat(data.path("status").asString()).isEqualTo("completed");
                    assertThat(data.path("progress").asInt()).isEqualTo(100);
                })
                .verifyComplete();

        var history = a.stream(generic(runId), TENANT_A, null)
                .filter(e -> e.data() != null)
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(history)
                .extracting(ServerSentEvent::id)
                .isEqualTo(range(1, lastSeq).stream().map(String::valueOf).toList());
        assertThat(JSON.readTree(history.get(history.size() - 1).data())
                        .path("status")
                        .asString())
                .isEqualTo("completed");
        assertThat(history).filteredOn(e -> e.event().equals("step")).isNotEmpty();

        a.http.get()
                .uri(socialKing(runId))
                .header("X-Internal-Token", TENANT_A)
                .header("Last-Event-ID", Long.toString(lastSeq))
                .exchangeToMono(r -> {
                    assertThat(r.statusCode().value()).isEqualTo(204);
                    return r.releaseBody();
                })
                .block(Duration.ofSeconds(10));
    }

    record Answer(int status, String body) {}

    Answer get(String path, String token) {
        return a.http.get()
                .uri(path)
                .headers(h -> {
                    if (token != null) {
                        h.set("X-Internal-Token", token);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToMono(r -> r.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(body -> new Answer(r.statusCode().value(), body)))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void runOfAnotherTenantLooksMissingInEachFacesShape() {
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var socialKingAnswer = get(socialKing(runId), TENANT_B);
        assertThat(socialKingAnswer.status()).isEqualTo(404);
        assertThat(JSON.readTree(socialKingAnswer.body()).path("success").asBoolean(true))
                .isFalse();
        assertThat(JSON.readTree(socialKingAnswer.body()).path("error").asString())
                .isEqualTo("not_found");
        var genericAnswer = get(generic(runId), TENANT_B);
        assertThat(genericAnswer.status()).isEqualTo(404);
        assertThat(JSON.readTree(genericAnswer.body()).path("detail").asString())
                .isEqualTo("Run not found");
        assertThat(get(generic(UUID.randomUUID()), TENANT_A).status()).isEqualTo(404);
        a.stop(runId);
    }

    @Test
    void callerWithoutTokenIsUnauthorized() {
        assertThat(get(generic(UUID.randomUUID()), null).status()).isEqualTo(401);
        assertThat(get(socialKing(UUID.randomUUID()), null).status()).isEqualTo(401);
    }

    @Test
    void malformedRunIdIsRefusedInEachFacesShape() {
        var socialKingAnswer = get("/api/v1/automation/run/not-a-uuid/sse", TENANT_A);
        assertThat(socialKingAnswer.status()).isEqualTo(400);
        assertThat(JSON.readTree(socialKingAnswer.body()).path("error").asString())
                .isEqualTo("validation_error");
        var genericAnswer = get("/api/v1/automation-runs/not-a-uuid/events", TENANT_A);
        assertThat(genericAnswer.status()).isEqualTo(422);
        assertThat(JSON.readTree(genericAnswer.body())
                        .path("detail")
                        .get(0)
                        .path("loc")
                        .get(1)
                        .asString())
                .isEqualTo("run_id");
    }

    @Test
    void subscriberThatStopsReadingIsCutOffWithoutDelayingAnother() throws IOException {
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var droppedBefore = count(context, "run.events.subscribers.dropped");
        var message = "m".repeat(4096);
        try (var slow = new Socket();
                var fast = new SseRecorder(a.stream(generic(runId), TENANT_A, "3"))) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", a.port()));
            slow.getOutputStream()
                    .write(("GET " + generic(runId) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Accept: text/event-stream\r\nLast-Event-ID: 3\r\nConnection: close\r\n"
                                    + "X-Internal-Token: " + TENANT_A + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            await(() -> gauge(context, "run.events.subscribers.active") >= 2, "both subscribers connected");

            long last = 0;
            for (int batch = 0; batch < 30; batch++) {
                last = a.append(runId, 100, message);
                assertThat(fast.nextIds(100)).isEqualTo(range(last - 99, last));
            }
            await(() -> count(context, "run.events.subscribers.dropped") > droppedBefore, "slow one dropped");

            slow.setSoTimeout(15_000);
            var text = readToEnd(slow);
            assertThat(text).startsWith("HTTP/1.1 200").contains("id:4\n").doesNotContain("id:" + last + "\n");
        }
        a.stop(runId);
    }

    private static String readToEnd(Socket socket) throws IOException {
        var out = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void instanceThatCannotReachRedisStillDeliversEveryEventFromPostgres() throws IOException {
        if (instanceC == null) {
            int closedPort;
            try (var socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            instanceC = start(context.getEnvironment(), List.of("spring.data.redis.port=" + closedPort));
        }
        var c = new RunFixtures(instanceC);
        var runId = a.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        try (var onC = new SseRecorder(c.stream(generic(runId), TENANT_A, "3"));
                var onA = new SseRecorder(a.stream(generic(runId), TENANT_A, "3"))) {
            a.append(runId, 2, "committed on A");
            assertThat(onC.nextIds(2)).containsExactly(4L, 5L);
            assertThat(onA.nextIds(2)).containsExactly(4L, 5L);

            c.append(runId, 2, "committed on C");
            assertThat(onC.nextIds(2)).containsExactly(6L, 7L);
            assertThat(onA.nextIds(2)).containsExactly(6L, 7L);
        }
        assertThat(count(instanceC, "run.events.redis.publish.failures")).isGreaterThan(0);
        a.stop(runId);
    }
}
