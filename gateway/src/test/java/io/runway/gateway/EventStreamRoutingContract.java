package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.Polling;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;
import reactor.test.StepVerifier;

/**
 * What a run event stream through the gateway must keep, whichever protocol reaches the service: each event as soon
 * as the service sends it, every event once and in order, comments, the request's headers, an end on either side
 * passed on to the other, a caller that stops reading holding back the service rather than the gateway's memory, and
 * a service's error answer as it was. Subclasses choose the protocol and say which one the service must see.
 */
abstract class EventStreamRoutingContract {

    static final String PATH = "/api/v1/automation-runs/0190f5c2-0000-7000-8000-000000000001/events";
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** The browser origin both subclasses' contexts allow ({@code app.cors.allowed-origins}). */
    static final String ALLOWED_ORIGIN = "https://app.example.com";

    /** run-service for both subclasses' contexts; it stops with the test JVM. */
    static final StreamingUpstream RUN = new StreamingUpstream();

    @Autowired
    WebTestClient client;

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("app.services.run-url", RUN::url);
    }

    StreamingUpstream service() {
        return RUN;
    }

    abstract String expectedProtocol();

    @BeforeEach
    void forgetEarlierStreams() {
        service().forgetOpenedStreams();
    }

    @Test
    void anEventFollowedBySilenceArrivesAsSoonAsTheServiceSendsIt() {
        var events = open();
        var stream = service().nextStream();
        var sentAt = new AtomicLong();

        StepVerifier.create(events)
                .expectNext(StreamingUpstream.OPENING_FRAME)
                .then(() -> {
                    sentAt.set(System.nanoTime());
                    stream.write("id: 1\ndata: only\n\n");
                })
                .assertNext(frame -> {
                    assertThat(frame).isEqualTo("id: 1\ndata: only");
                    assertThat(Duration.ofNanos(System.nanoTime() - sentAt.get()))
                            .isLessThan(Duration.ofSeconds(1));
                })
                .expectNoEvent(Duration.ofMillis(500))
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(stream.protocol).isEqualTo(expectedProtocol());
    }

    @Test
    void aCallerThatStopsReadingStopsTheGatewayReadingTheService() throws IOException {
        var frame = "data: " + "x".repeat(1000) + "\n\n";
        int written = 200_000;
        StreamingUpstream.Stream stream;
        try (var caller = callerThatDoesNotRead("user-s3")) {
            stream = service().nextStream();
            for (int i = 0; i < written; i++) {
                stream.write(frame);
            }
            long taken = Polling.value(TIMEOUT, new SettledCount(stream.sent::get));

            // the sockets' buffers on both hops hold some megabytes; the gateway itself reads only what it can write
            assertThat(taken).isLessThan(written / 4);
        }
        Polling.until(Duration.ofSeconds(5), () -> stream.endedBy() != null);
        assertThat(stream.sent.get()).isLessThan(written);
    }

    @Test
    void aCallerThatStopsReadingDoesNotHoldUpAnotherCallersStream() throws IOException {
        var big = "data: " + "x".repeat(1000) + "\n\n";
        try (var stalled = callerThatDoesNotRead("user-s4")) {
            var stalledStream = service().nextStream();
            for (int i = 0; i < 20_000; i++) {
                stalledStream.write(big);
            }
            Polling.value(TIMEOUT, new SettledCount(stalledStream.sent::get));

            // over h2c both streams share one connection to the service, and its flow-control window
            var events = open();
            var stream = service().nextStream();
            var received = events.skip(1).take(500).count();
            for (int i = 1; i <= 500; i++) {
                stream.write("id: " + i + "\n" + big);
            }
            StepVerifier.create(received).expectNext(500L).expectComplete().verify(TIMEOUT);
        }
    }

    @Test
    void aServicesErrorAnswerKeepsItsStatusAndBody() {
        client.get()
                .uri(PATH.replace("0190f5c2-0000-7000-8000-000000000001", StreamingUpstream.MISSING_RUN))
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("user-s1", "tenant-s")))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType("application/problem+json")
                .expectBody(String.class)
                .isEqualTo(StreamingUpstream.MISSING_RUN_BODY);
    }

    @Test
    void everyEventArrivesOnceInOrderAndTheServicesEndEndsTheCallersStream() {
        var events = open();
        var stream = service().nextStream();
        var sent = IntStream.rangeClosed(1, 3000)
                .mapToObj(i -> "id: " + i + "\ndata: event " + i)
                .toList();

        var received = events.collectList();
        for (int i = 0; i < sent.size(); i++) {
            stream.write(sent.get(i) + "\n\n");
            if (i % 500 == 499) {
                stream.write(": keep-alive\n\n");
            }
        }
        stream.complete();

        var expected = new ArrayList<String>(List.of(StreamingUpstream.OPENING_FRAME));
        for (int i = 0; i < sent.size(); i++) {
            expected.add(sent.get(i));
            if (i % 500 == 499) {
                expected.add(": keep-alive");
            }
        }
        StepVerifier.create(received)
                .assertNext(frames -> assertThat(frames).containsExactlyElementsOf(expected))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void aCallerThatLeavesClosesTheStreamAtTheService() {
        var events = open();
        var stream = service().nextStream();

        StepVerifier.create(events)
                .expectNext(StreamingUpstream.OPENING_FRAME)
                .thenCancel()
                .verify(TIMEOUT);

        Polling.until(Duration.ofSeconds(5), () -> stream.endedBy() != null);
        assertThat(stream.endedBy()).isIn(SignalType.CANCEL, SignalType.ON_ERROR);
    }

    @Test
    void theStreamKeepsItsHeadersAndForwardsLastEventId() {
        var result = client.get()
                .uri(PATH)
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("user-s1", "tenant-s")))
                .header("Last-Event-ID", "42")
                .header("X-Request-Id", "req-stream-1")
                .header("Origin", ALLOWED_ORIGIN)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .expectHeader()
                .valueEquals("Access-Control-Allow-Origin", ALLOWED_ORIGIN)
                .expectHeader()
                .valueEquals("X-Request-Id", "req-stream-1")
                .expectHeader()
                .valueEquals("Cache-Control", "no-cache")
                .returnResult(DataBuffer.class);
        var stream = service().nextStream();

        assertThat(stream.header("Last-Event-ID")).isEqualTo("42");
        assertThat(stream.header("X-Request-Id")).isEqualTo("req-stream-1");
        assertThat(stream.header("X-Internal-Token")).isNotBlank();
        assertThat(stream.header("Authorization")).isNull();
        StepVerifier.create(frames(result.getResponseBody()))
                .expectNext(StreamingUpstream.OPENING_FRAME)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aStreamToAServiceThatIsDownIsRefusedInTheGenericFacesShape() {
        service().stop();
        try {
            client.get()
                    .uri(PATH)
                    .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("user-s2", "tenant-s")))
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(502)
                    .expectBody()
                    .jsonPath("$.detail")
                    .isEqualTo("The service could not be reached");
        } finally {
            service().start();
        }
    }

    /** A count that stopped growing: unchanged for half a second of polls, or null until then. */
    private static final class SettledCount implements Supplier<Long> {

        private static final long SETTLED_NANOS = Duration.ofMillis(500).toNanos();

        private final LongSupplier count;
        private long last = -1;
        private long unchangedSince;

        SettledCount(LongSupplier count) {
            this.count = count;
        }

        @Override
        public Long get() {
            long now = count.getAsLong();
            long at = System.nanoTime();
            if (now != last) {
                last = now;
                unchangedSince = at;
                return null;
            }
            return at - unchangedSince >= SETTLED_NANOS ? now : null;
        }
    }

    /** The frames of a run event stream a user opens through the gateway. */
    /** A caller that opens the stream with a small receive buffer and never reads it. */
    private Socket callerThatDoesNotRead(String user) throws IOException {
        var caller = new Socket();
        caller.setReceiveBufferSize(4096);
        caller.connect(new InetSocketAddress("127.0.0.1", port));
        caller.getOutputStream()
                .write(("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                                + "Authorization: Bearer " + GatewayFixtures.userJwt(user, "tenant-s")
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        return caller;
    }

    Flux<String> open() {
        return frames(client.get()
                .uri(PATH)
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("user-s1", "tenant-s")))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(DataBuffer.class)
                .getResponseBody());
    }

    /** The frames of a raw event stream, each without its blank line, however the bytes were cut into chunks. */
    static Flux<String> frames(Flux<DataBuffer> body) {
        return Flux.defer(() -> {
            var pending = new StringBuilder();
            return body.concatMapIterable(buffer -> {
                pending.append(buffer.toString(StandardCharsets.US_ASCII));
                DataBufferUtils.release(buffer);
                var complete = new ArrayList<String>();
                for (int end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
                    complete.add(pending.substring(0, end));
                    pending.delete(0, end + 2);
                }
                return complete;
            });
        });
    }
}
