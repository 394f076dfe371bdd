package io.runway.gateway;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * A throwaway service for gateway tests of event streams: every request opens a {@code text/event-stream} response
 * that starts with the comment {@code :open} and then carries whatever frames the test writes to it ({@link
 * #nextStream}), except for the run {@link #MISSING_RUN}, answered 404 with a problem body; it speaks HTTP/1.1 and HTTP/2 cleartext and can be stopped and started again on the same port.
 */
final class StreamingUpstream {

    static final String OPENING_FRAME = ":open";
    /** A run id in a request path for which the service answers 404 with {@link #MISSING_RUN_BODY}. */
    static final String MISSING_RUN = "0190f5c2-0000-7000-8000-00000000dead";

    static final String MISSING_RUN_BODY = "{\"title\":\"Not Found\",\"status\":404,\"code\":\"run_not_found\"}";

    private final BlockingQueue<Stream> opened = new LinkedBlockingQueue<>();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final int port;
    private volatile DisposableServer server;

    StreamingUpstream() {
        this.server = bind(0);
        this.port = server.port();
    }

    private DisposableServer bind(int port) {
        return HttpServer.create()
                .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                .host("127.0.0.1")
                .port(port)
                .doOnChannelInit((observer, channel, address) -> connections.add(channel))
                .handle((request, response) -> {
                    if (request.uri().contains(MISSING_RUN)) {
                        return response.status(404)
                                .header("Content-Type", "application/problem+json")
                                .sendString(Mono.just(MISSING_RUN_BODY))
                                .then();
                    }
                    var headers = new ConcurrentHashMap<String, String>();
                    request.requestHeaders()
                            .forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(), h.getValue()));
                    var stream = new Stream(headers, request.version().text());
                    stream.frames.tryEmitNext(OPENING_FRAME + "\n\n");
                    opened.add(stream);
                    return response.header("Content-Type", "text/event-stream")
                            .header("Cache-Control", "no-cache")
                            .sendString(stream.frames
                                    .asFlux()
                                    .doOnNext(frame -> stream.sent.incrementAndGet())
                                    .doFinally(stream.endedBy::set))
                            .then();
                })
                .bindNow();
    }

    /** The next stream a request opened, waiting for it at most five seconds. */
    Stream nextStream() {
        try {
            var stream = opened.poll(5, TimeUnit.SECONDS);
            if (stream == null) {
                throw new AssertionError("no event stream was opened at the service");
            }
            return stream;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops listening and closes every TCP connection, idle or carrying streams (over h2c, many). */
    void stop() {
        server.disposeNow(Duration.ofSeconds(5));
        connections.close().syncUninterruptibly();
    }

    /** Forgets the streams opened so far and not yet taken with {@link #nextStream}. */
    void forgetOpenedStreams() {
        opened.clear();
    }

    /** Listens again on the same port. */
    void start() {
        server = bind(port);
    }

    /** One open event stream: the frames the test writes (each a complete frame with its blank line) and its end. */
    static final class Stream {

        final Sinks.Many<String> frames = Sinks.many().unicast().onBackpressureBuffer();
        final AtomicReference<SignalType> endedBy = new AtomicReference<>();
        /** Frames the service's connection took to send. */
        final AtomicLong sent = new AtomicLong();

        final Map<String, String> headers;
        final String protocol;

        private Stream(Map<String, String> headers, String protocol) {
            this.headers = headers;
            this.protocol = protocol;
        }

        void write(String frame) {
            frames.emitNext(frame, Sinks.EmitFailureHandler.FAIL_FAST);
        }

        void complete() {
            frames.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
        }

        /** How the service's side of the stream ended (complete, cancel, error), or null while it is open. */
        SignalType endedBy() {
            return endedBy.get();
        }

        /** Header of the request that opened the stream (name in any case), or null. */
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }
}
