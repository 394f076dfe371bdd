package io.runway.run.stream;

import static io.runway.run.stream.RunFixtures.TENANT_A;
import static io.runway.run.stream.RunFixtures.await;
import static io.runway.run.stream.RunFixtures.generic;
import static io.runway.run.stream.RunFixtures.socialKing;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpVersion;
import io.runway.common.testsupport.RealInfrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Streams over HTTP/2 cleartext (what a gateway started with RUN_SERVICE_H2C=true uses to share upstream connections):
 * such a response is written as DATA frames of the shared bytes below Reactor Netty's codec ({@code
 * face.Http2StreamConnection}), not as pre-framed HTTP/1.1 chunks.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.http2.enabled=true", "logging.level.root=WARN"})
@RealInfrastructure
@Import(ServerConnectionFlushes.class)
class RunEventStreamOverHttp2IntegrationTests {

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    @Test
    void aJdkClientsH2cUpgradeOnARequestWithABodyIsAnsweredOverHttp2() throws Exception {
        var client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/automation-runs"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"automationId\":\"a1\"}"))
                .build();

        var response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
    }

    @Test
    void anHttp2ClientGetsTheMissedThenTheLiveEventsInOrderAndTheStreamEndsWithTheRun() {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var client = HttpClient.create().protocol(HttpProtocol.H2C).baseUrl("http://127.0.0.1:" + app.port());
        var versions = new CopyOnWriteArrayList<HttpVersion>();
        var generic = new CopyOnWriteArrayList<Long>();
        var socialKing = new CopyOnWriteArrayList<String>();
        var genericEnded = subscribe(client, generic(runId), "1", versions)
                .filter(line -> line.startsWith("id:"))
                .map(line -> Long.parseLong(line.substring(3).trim()))
                .doOnNext(generic::add)
                .then()
                .toFuture();
        var socialKingEnded = subscribe(client, socialKing(runId), null, versions)
                .filter(line -> line.startsWith("data:"))
                .doOnNext(socialKing::add)
                .then()
                .toFuture();
        await(() -> generic.size() >= 2 && !socialKing.isEmpty(), "both streams opened");

        long last = app.append(runId, 40, "over h2c");
        await(() -> generic.contains(last), "the live events arrived");
        app.stop(runId);
        genericEnded.orTimeout(20, TimeUnit.SECONDS).join();
        socialKingEnded.orTimeout(20, TimeUnit.SECONDS).join();

        assertThat(versions).containsOnly(HttpVersion.valueOf("HTTP/2.0"));
        long end = app.eventSeq(runId);
        assertThat(generic)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(2, end).boxed().toList());
        assertThat(socialKing.get(socialKing.size() - 1)).contains("\"status\":\"canceled\"");
    }

    @Test
    void aBurstOfEventsLargerThanTheStreamsFlowControlWindowArrivesWhole() {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var client = HttpClient.create().protocol(HttpProtocol.H2C).baseUrl("http://127.0.0.1:" + app.port());
        var ids = new CopyOnWriteArrayList<Long>();
        var ended = subscribe(client, generic(runId), null, new CopyOnWriteArrayList<>())
                .filter(line -> line.startsWith("id:"))
                .map(line -> Long.parseLong(line.substring(3).trim()))
                .doOnNext(ids::add)
                .then()
                .toFuture();
        long first = app.eventSeq(runId);
        await(() -> ids.contains(first), "the stream opened");

        // 600 events of about 300 bytes in one announcement: nearly three times the peer's default window of 64 KiB
        long last = app.append(runId, 600, "burst ".repeat(20));
        await(() -> ids.contains(last), "the whole burst arrived");
        app.stop(runId);
        ended.orTimeout(20, TimeUnit.SECONDS).join();

        assertThat(ids)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, app.eventSeq(runId)).boxed().toList());
    }

    @Test
    void oneConnectionCarriesAThousandStreams() {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var oneConnection = h2cConnections(1, 1_000);
        var client =
                HttpClient.create(oneConnection).protocol(HttpProtocol.H2C).baseUrl("http://127.0.0.1:" + app.port());
        var opened = new AtomicInteger();
        var streams = IntStream.range(0, 1_000)
                .mapToObj(i -> subscribe(client, generic(runId), null, new CopyOnWriteArrayList<>())
                        .filter(line -> line.startsWith("id:"))
                        .index()
                        .subscribe(line -> {
                            if (line.getT1() == 0) {
                                opened.incrementAndGet();
                            }
                        }))
                .toList();
        try {
            // each stream stays open; Reactor Netty's server allows 100 per connection unless told otherwise
            await(() -> opened.get() == 1_000, "a thousand streams open on one connection");
        } catch (AssertionError e) {
            throw new AssertionError("opened " + opened.get(), e);
        } finally {
            streams.forEach(Disposable::dispose);
            oneConnection.dispose();
        }
    }

    @Test
    void anEventToTwoHundredStreamsOnOneConnectionLeavesInAFewSocketWritesNotOneEach() {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        long head = app.eventSeq(runId);
        var oneConnection = h2cConnections(1, 200);
        var client =
                HttpClient.create(oneConnection).protocol(HttpProtocol.H2C).baseUrl("http://127.0.0.1:" + app.port());
        var opened = new AtomicInteger();
        var received = IntStream.range(0, 200)
                .mapToObj(i -> new CopyOnWriteArrayList<Long>())
                .toList();
        var streams = received.stream()
                .map(ids -> subscribe(client, generic(runId), Long.toString(head), new CopyOnWriteArrayList<>())
                        .index()
                        .doOnNext(line -> {
                            if (line.getT1() == 0) {
                                opened.incrementAndGet();
                            }
                        })
                        .map(line -> line.getT2())
                        .filter(line -> line.startsWith("id:"))
                        .map(line -> Long.parseLong(line.substring(3).trim()))
                        .subscribe(ids::add))
                .toList();
        try {
            await(() -> opened.get() == 200, "200 streams open on one connection");
            long flushesBefore = ServerConnectionFlushes.total();

            long last = app.append(runId, 1, "to all");
            await(() -> received.stream().allMatch(ids -> ids.contains(last)), "every stream got the event");

            // one lane writes all 200 streams of the connection in one pass: one flush for them, not one per stream
            assertThat(ServerConnectionFlushes.total() - flushesBefore).isLessThan(20);
            assertThat(received).allSatisfy(ids -> assertThat(ids).containsExactly(last));
        } finally {
            streams.forEach(Disposable::dispose);
            oneConnection.dispose();
        }
    }

    @Test
    void aStreamWhoseReaderStopsIsCutOffWhileAnotherKeepsItsEvents() {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var droppedBefore = RunEventStreamIntegrationTests.count(context, "run.events.subscribers.dropped");
        // a connection each: a stream that is not read keeps its share of the connection's flow-control window too
        var twoConnections = h2cConnections(2, 1);
        var client =
                HttpClient.create(twoConnections).protocol(HttpProtocol.H2C).baseUrl("http://127.0.0.1:" + app.port());
        var fast = new CopyOnWriteArrayList<Long>();
        var fastStream = subscribe(client, generic(runId), "3", new CopyOnWriteArrayList<>())
                .filter(line -> line.startsWith("id:"))
                .map(line -> Long.parseLong(line.substring(3).trim()))
                .subscribe(fast::add);
        var stalled = new AtomicInteger();
        var stalledStream = subscribe(client, generic(runId), "3", new CopyOnWriteArrayList<>())
                .subscribeWith(new BaseSubscriber<String>() {
                    @Override
                    protected void hookOnSubscribe(Subscription subscription) {
                        subscription.request(1);
                    }

                    @Override
                    protected void hookOnNext(String line) {
                        stalled.incrementAndGet();
                    }
                });
        try {
            await(
                    () -> stalled.get() == 1
                            && RunEventStreamIntegrationTests.gauge(context, "run.events.subscribers.active") >= 2,
                    "both streams open");
            long last = 0;
            for (int batch = 0; batch < 30; batch++) {
                last = app.append(runId, 100, "m".repeat(4096));
                long expected = last;
                await(() -> fast.contains(expected), "the reading stream got batch " + batch);
            }
            await(
                    () -> RunEventStreamIntegrationTests.count(context, "run.events.subscribers.dropped")
                            > droppedBefore,
                    "the stalled stream cut off");
            assertThat(fast)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(4, last).boxed().toList());
        } finally {
            fastStream.dispose();
            stalledStream.dispose();
            twoConnections.dispose();
        }
    }

    /** A client pool of at most {@code connections} h2c connections, {@code streams} streams on each. */
    private static ConnectionProvider h2cConnections(int connections, int streams) {
        return ConnectionProvider.builder("h2c-" + connections + "x" + streams)
                .maxConnections(connections)
                .pendingAcquireMaxCount(-1)
                .allocationStrategy(Http2AllocationStrategy.builder()
                        .minConnections(1)
                        .maxConnections(connections)
                        .maxConcurrentStreams(streams)
                        .build())
                .build();
    }

    private static Flux<String> subscribe(
            HttpClient client, String path, String lastEventId, List<HttpVersion> versions) {
        return client.headers(headers -> {
                    headers.set("X-Internal-Token", TENANT_A).set("Accept", "text/event-stream");
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .get()
                .uri(path)
                .response((response, body) -> {
                    versions.add(response.version());
                    return lines(body.asString());
                })
                .timeout(Duration.ofSeconds(30));
    }

    /** The body's lines, whichever way it was cut into data frames. */
    private static Flux<String> lines(Flux<String> text) {
        return Flux.defer(() -> {
            var partial = new StringBuilder();
            return text.concatMapIterable(piece -> {
                partial.append(piece);
                int end = partial.lastIndexOf("\n");
                if (end < 0) {
                    return List.of();
                }
                var complete = partial.substring(0, end);
                partial.delete(0, end + 1);
                return List.of(complete.split("\n"));
            });
        });
    }
}
