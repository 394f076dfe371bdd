package io.runway.run.stream;

import static io.runway.run.stream.RunFixtures.TENANT_A;
import static io.runway.run.stream.RunFixtures.await;
import static io.runway.run.stream.RunFixtures.generic;
import static io.runway.run.stream.RunFixtures.socialKing;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.runway.common.testsupport.RealInfrastructure;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The shared fan-out under load: a burst of subscribers on one run while events are committed, each counted, and Netty's
 * leak detector at its strictest while streams are opened, fed, cut off and cancelled.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.run-events.subscriber-buffer=64", "logging.level.root=WARN"})
@RealInfrastructure
class RunFanoutIntegrationTests {

    private static final int BURST = 2_000;

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Autowired
    ApplicationContext context;

    /**
     * A load test (tagged {@code benchmark}: run with {@code -Pbench}): on the shared 2-core machine the burst's 2,000
     * replays outwait the connection pool and an append times out.
     */
    @Test
    @Tag("benchmark")
    void burstOfSubscribersConnectingWhileEventsAreCommittedGetsEveryEventOnceInOrder() {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var client = client(app.port(), BURST);
        var received = new ArrayList<ConcurrentLinkedQueue<Long>>();
        var ended = new AtomicInteger();
        var subscriptions = new ArrayList<Disposable>();
        for (int i = 0; i < BURST; i++) {
            var ids = new ConcurrentLinkedQueue<Long>();
            received.add(ids);
            subscriptions.add(subscribe(client, generic(runId), "3")
                    .subscribe(ids::add, e -> ended.incrementAndGet(), ended::incrementAndGet));
        }
        long last = 3;
        while (gauge("run.events.subscribers.active") < BURST) {
            last = app.append(runId, 2, "during the burst");
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        for (int i = 0; i < 10; i++) {
            last = app.append(runId, 5, "after the burst");
        }
        long lastSeq = last;
        var expected = LongStream.rangeClosed(4, lastSeq).boxed().toList();
        await(
                () -> received.stream().allMatch(ids -> ids.size() >= expected.size()),
                "every subscriber has every event",
                Duration.ofSeconds(90));
        subscriptions.forEach(Disposable::dispose);

        assertThat(ended).hasValue(0);
        for (var ids : received) {
            assertThat(List.copyOf(ids)).isEqualTo(expected);
        }
        app.stop(runId);
    }

    /**
     * The replays of a crowd opening one run come from the run's recent events in memory: PostgreSQL is read for the
     * first, not for each; and every subscriber, whichever server event loop writes it, gets every event once, in
     * order.
     */
    @Test
    void aCrowdOpeningOneRunReplaysFromMemoryAndEverySubscriberGetsEveryEventOnceInOrder() {
        int crowd = 200;
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var client = client(app.port(), crowd);
        var first = new CopyOnWriteArrayList<Long>();
        var opener = subscribe(client, generic(runId), null).subscribe(first::add);
        await(() -> first.size() >= 3, "the first subscriber replayed the run");
        double fromDatabase = replays("database");
        double fromMemory = replays("memory");
        double headsFromDatabase = heads("database");
        double headsFromMemory = heads("memory");

        var received = new ArrayList<ConcurrentLinkedQueue<Long>>();
        var subscriptions = new ArrayList<Disposable>();
        for (int i = 0; i < crowd; i++) {
            var ids = new ConcurrentLinkedQueue<Long>();
            received.add(ids);
            subscriptions.add(subscribe(client, generic(runId), null).subscribe(ids::add));
        }
        await(() -> gauge("run.events.subscribers.active") >= crowd + 1, "the crowd subscribed");
        await(() -> received.stream().allMatch(ids -> ids.size() >= 3), "the crowd replayed the run");
        double deliveredBefore = counter("run.events.delivered");
        var lag = context.getBean(MeterRegistry.class)
                .get("run.events.fanout.lag")
                .timer();
        long lagSamplesBefore = lag.count();
        double lagBefore = lag.totalTime(TimeUnit.MILLISECONDS);
        long appending = System.nanoTime();
        long last = app.append(runId, 20, "to the crowd");
        var expected = LongStream.rangeClosed(1, last).boxed().toList();
        await(
                () -> received.stream().allMatch(ids -> ids.size() >= expected.size()),
                "every subscriber has every event",
                Duration.ofSeconds(60));
        double appendToReceipt = (System.nanoTime() - appending) / 1e6;
        subscriptions.forEach(Disposable::dispose);
        opener.dispose();
        app.stop(runId);

        for (var ids : received) {
            assertThat(List.copyOf(ids)).isEqualTo(expected);
        }
        assertThat(counter("run.events.delivered") - deliveredBefore).isEqualTo((crowd + 1) * 20.0);
        long lagSamples = lag.count() - lagSamplesBefore;
        assertThat(lagSamples).as("lanes that wrote the events").isPositive();
        assertThat((lag.totalTime(TimeUnit.MILLISECONDS) - lagBefore) / lagSamples)
                .as("mean lag from creation to the lanes' last writes, against append to receipt (ms)")
                .isPositive()
                .isLessThanOrEqualTo(appendToReceipt);
        assertThat(replays("memory") - fromMemory).isGreaterThanOrEqualTo(crowd);
        assertThat(replays("database") - fromDatabase).isLessThan(crowd / 10.0);
        assertThat(heads("memory") - headsFromMemory).isEqualTo(crowd);
        assertThat(heads("database") - headsFromDatabase).isZero();
    }

    /**
     * Browsers reconnecting after a restart all send the last event they saw, which is the run's latest: the first one's
     * replay finds nothing in PostgreSQL, and the rest are answered from memory. Each still gets every later event.
     */
    @Test
    void aCrowdResumingAtTheRunsLatestEventReadsPostgreSQLOnceAndMissesNothingAfter() {
        int crowd = 100;
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var client = client(app.port(), crowd);
        double fromDatabase = replays("database");
        double fromMemory = replays("memory");
        var first = new CopyOnWriteArrayList<Long>();
        var opener = subscribe(client, generic(runId), "3").subscribe(first::add);
        await(() -> replays("database") - fromDatabase >= 1, "the first subscriber's replay read PostgreSQL");

        var received = new ArrayList<ConcurrentLinkedQueue<Long>>();
        var subscriptions = new ArrayList<Disposable>();
        for (int i = 0; i < crowd; i++) {
            var ids = new ConcurrentLinkedQueue<Long>();
            received.add(ids);
            subscriptions.add(subscribe(client, generic(runId), "3").subscribe(ids::add));
        }
        await(() -> gauge("run.events.subscribers.active") >= crowd + 1, "the crowd subscribed");
        await(() -> replays("memory") - fromMemory >= crowd, "the crowd replayed");
        long last = app.append(runId, 5, "after the reconnect");
        var expected = LongStream.rangeClosed(4, last).boxed().toList();
        await(
                () -> received.stream().allMatch(ids -> ids.size() >= expected.size()) && first.size() >= 5,
                "every subscriber has every later event");
        subscriptions.forEach(Disposable::dispose);
        opener.dispose();
        app.stop(runId);

        assertThat(first).isEqualTo(expected);
        for (var ids : received) {
            assertThat(List.copyOf(ids)).isEqualTo(expected);
        }
        assertThat(replays("database") - fromDatabase).isEqualTo(1);
        assertThat(replays("memory") - fromMemory).isEqualTo(crowd);
    }

    /** Reactor Netty's global loops are at least four; the server's own are one per CPU, and they carry the streams. */
    @Test
    void theServerWritesItsStreamsFromOneEventLoopPerCpu() {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var client = client(app.port(), 16);
        var subscriptions = new ArrayList<Disposable>();
        var received = new ConcurrentLinkedQueue<Long>();
        for (int i = 0; i < 16; i++) {
            subscriptions.add(subscribe(client, generic(runId), "3").subscribe(received::add));
        }
        await(() -> gauge("run.events.subscribers.active") >= 16, "subscribed");
        var lanes = context.getBean(MeterRegistry.class)
                .get("run.events.fanout.lag")
                .timer();
        long before = lanes.count();
        app.append(runId, 1, "one event");
        await(() -> received.size() >= 16, "every subscriber has the event");
        subscriptions.forEach(Disposable::dispose);
        app.stop(runId);

        var serverLoops = Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.startsWith("run-http-"))
                .toList();
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(serverLoops).isNotEmpty().hasSizeLessThanOrEqualTo(cpus);
        assertThat(lanes.count() - before).as("lanes that wrote the event").isBetween(1L, (long) cpus);
    }

    /** The event-loop lag meter probes the loops the server runs on, not Reactor Netty's idle shared ones. */
    @Test
    void aBlockedServerLoopShowsInTheEventLoopLag() {
        var lag =
                context.getBean(MeterRegistry.class).get("netty.eventloop.lag").timer();
        long probesBefore = lag.count();
        double before = lag.totalTime(TimeUnit.MILLISECONDS);
        var serverLoop = context.getBean(ReactorResourceFactory.class)
                .getLoopResources()
                .onServer(true)
                .next();
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                .anyMatch(name -> name.startsWith("run-http-"));
        serverLoop.execute(() -> LockSupport.parkNanos(Duration.ofMillis(1500).toNanos()));

        await(
                () -> lag.count() > probesBefore && lag.totalTime(TimeUnit.MILLISECONDS) - before > 300,
                "a probe waited behind the blocked server loop");
    }

    @Test
    void sharedFramesAndTheResponsePipelineLeakNoBufferAtParanoidLevel() {
        var leaks = leakReports();
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var client = client(app.port(), 64);
        var cancelled = new ArrayList<Disposable>();
        var kept = new CopyOnWriteArrayList<Long>();
        for (int i = 0; i < 20; i++) {
            cancelled.add(subscribe(client, generic(runId), "3").subscribe());
            cancelled.add(subscribe(client, socialKing(runId), null).subscribe());
        }
        var steady = subscribe(client, generic(runId), "3").subscribe(kept::add);
        await(() -> gauge("run.events.subscribers.active") >= 41, "all subscribed");
        app.append(runId, 50, "m".repeat(2048));
        cancelled.forEach(Disposable::dispose);
        long last = app.append(runId, 50, "after the cancels");
        await(() -> kept.contains(last), "the remaining subscriber has every event");
        steady.dispose();
        app.stop(runId);
        await(
                () -> gauge("run.events.subscribers.active") <= 0,
                "every stream closed " + gauge("run.events.subscribers.active"));

        for (int i = 0; i < 5; i++) {
            System.gc();
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            // The detector reports what the collector found when the next tracked buffer is allocated.
            for (int j = 0; j < 100; j++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
            }
        }
        // The test's own client may drop an inbound buffer when its subscription is cancelled mid-decode: those
        // reports pass through Reactor Netty's HTTP client; what is asserted is the server's side.
        assertThat(leaks.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(message -> !message.contains("reactor.netty.http.client."))
                .noneMatch(message -> message.contains("LEAK"));
    }

    private Flux<Long> subscribe(WebClient client, String path, String lastEventId) {
        return client.get()
                .uri(path)
                .header("X-Internal-Token", TENANT_A)
                .headers(headers -> {
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(RunFixtures.SSE)
                .filter(event -> event.id() != null)
                .map(event -> Long.parseLong(event.id()));
    }

    private double replays(String source) {
        return bySource("run.events.replays", source);
    }

    private double bySource(String counter, String source) {
        return context.getBean(MeterRegistry.class)
                .get(counter)
                .tag("source", source)
                .counter()
                .count();
    }

    /**
     * Each live frame leaves as one HTTP/1.1 chunk of its own, framed once for all subscribers and written below the
     * HTTP encoder; the headers, the first chunk and the last one still go through Reactor Netty, so the response is
     * well-formed chunked HTTP to its end.
     */
    @Test
    void eachFrameLeavesAsOneChunkAndTheStreamEndsWithTheLastChunk() throws IOException {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        double before = gauge("run.events.subscribers.active");
        try (var socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream()
                    .write(("GET " + generic(runId) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Accept: text/event-stream\r\nLast-Event-ID: 3\r\nConnection: close\r\n"
                                    + "X-Internal-Token: " + TENANT_A + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            await(() -> gauge("run.events.subscribers.active") >= before + 1, "subscribed");
            long last = app.append(runId, 3, "chunked");
            app.stop(runId);

            var raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            int bodyAt = raw.indexOf("\r\n\r\n") + 4;
            assertThat(raw.substring(0, bodyAt).toLowerCase(Locale.ROOT))
                    .startsWith("http/1.1 200")
                    .contains("transfer-encoding: chunked");
            var chunks = new ArrayList<String>();
            int at = bodyAt;
            while (true) {
                int lineEnd = raw.indexOf("\r\n", at);
                int size = Integer.parseInt(raw.substring(at, lineEnd), 16);
                if (size == 0) {
                    assertThat(raw.substring(lineEnd)).isEqualTo("\r\n\r\n");
                    break;
                }
                chunks.add(raw.substring(lineEnd + 2, lineEnd + 2 + size));
                assertThat(raw.substring(lineEnd + 2 + size, lineEnd + 4 + size))
                        .isEqualTo("\r\n");
                at = lineEnd + 4 + size;
            }
            assertThat(chunks.get(0)).startsWith("retry:3000\n");
            var events = chunks.subList(1, chunks.size()).stream()
                    .filter(chunk -> !chunk.startsWith(":"))
                    .toList();
            assertThat(events)
                    .allSatisfy(chunk ->
                            assertThat(chunk).startsWith("id:").endsWith("\n\n").containsOnlyOnce("id:"));
            var ids = events.stream()
                    .map(chunk -> Long.parseLong(chunk.substring(3, chunk.indexOf('\n'))))
                    .toList();
            assertThat(ids)
                    .isEqualTo(LongStream.rangeClosed(4, 3 + ids.size()).boxed().toList());
            assertThat(ids.get(ids.size() - 1)).isGreaterThan(last);
            assertThat(events.get(events.size() - 1)).contains("event:run").contains("\"status\":\"canceled\"");
        }
    }

    /**
     * A run streamed here answers the next subscriber's head from its fan-out, tenant check included; a client that has
     * seen more than this instance knows is answered from PostgreSQL.
     */
    @Test
    void aRunStreamedHereIsOpenedFromItsFanOutAndStillRefusesAnotherTenant() {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        var client = client(app.port(), 4);
        var first = new CopyOnWriteArrayList<Long>();
        var opener = subscribe(client, generic(runId), null).subscribe(first::add);
        await(() -> first.size() >= 3, "the first subscriber replayed the run");
        double fromMemory = heads("memory");
        double fromDatabase = heads("database");

        var otherTenant = client.get()
                .uri(generic(runId))
                .header("X-Internal-Token", RunFixtures.TENANT_B)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToMono(response -> Mono.just(response.statusCode().value()))
                .block(Duration.ofSeconds(10));
        assertThat(otherTenant).isEqualTo(404);
        // read twice from memory: ahead of WebFlux (refused there), then by WebFlux for the face's 404 body
        assertThat(heads("memory") - fromMemory).isEqualTo(2);

        var second = new CopyOnWriteArrayList<Long>();
        var resumed = subscribe(client, generic(runId), "2").subscribe(second::add);
        var ahead = subscribe(client, generic(runId), "1000").subscribe();
        long last = app.append(runId, 2, "to both");
        await(() -> second.contains(last), "the resumed subscriber has the new events");
        assertThat(second).containsExactly(3L, 4L, 5L);
        assertThat(heads("memory") - fromMemory).isEqualTo(3);
        assertThat(heads("database") - fromDatabase).isEqualTo(1);
        resumed.dispose();
        ahead.dispose();
        opener.dispose();
        app.stop(runId);
    }

    private double heads(String source) {
        return bySource("run.events.heads", source);
    }

    private double counter(String name) {
        return context.getBean(MeterRegistry.class).get(name).counter().count();
    }

    private double gauge(String name) {
        return context.getBean(MeterRegistry.class).get(name).gauge().value();
    }

    private static ListAppender<ILoggingEvent> leakReports() {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).addAppender(appender);
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).setLevel(ch.qos.logback.classic.Level.ERROR);
        return appender;
    }

    private static WebClient client(int port, int connections) {
        var pool = ConnectionProvider.builder("fanout-test-" + UUID.randomUUID())
                .maxConnections(connections + 16)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofMinutes(2))
                .build();
        var http = HttpClient.create(pool).runOn(LoopResources.create("fanout-test", 2, true));
        return WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
    }
}
