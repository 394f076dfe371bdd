package io.runway.run.face;

import io.runway.common.error.InvalidInputException;
import io.runway.run.stream.SseFrame;
import java.util.List;
import java.util.concurrent.Executor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/** The HTTP side shared by both faces' stream endpoints: Last-Event-ID parsing and unbuffered SSE responses. */
public final class SseResponses {

    private static final Executor CALLING_THREAD = Runnable::run;

    private SseResponses() {}

    /** The numeric {@code Last-Event-ID} a client resumes after, or null for a new subscriber. */
    public static Long lastEventId(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInputException.of(
                List.of("header", "Last-Event-ID"), "Last-Event-ID must be an event id of this stream", "value_error");
    }

    /**
     * The thread that writes the response's connection (its Netty event loop), so that live events are emitted there;
     * the calling thread when the server is not Reactor Netty.
     */
    public static Executor writer(ServerHttpResponse response) {
        var unwrapped = response;
        while (unwrapped instanceof ServerHttpResponseDecorator decorator) {
            unwrapped = decorator.getDelegate();
        }
        if (unwrapped instanceof AbstractServerHttpResponse server
                && server.getNativeResponse() instanceof Connection connection) {
            return connection.channel().eventLoop();
        }
        return CALLING_THREAD;
    }

    /**
     * Writes 200 with the stream, or 204 when the run has ended and the client has seen everything: EventSource stops
     * reconnecting on 204.
     */
    public static Mono<Void> write(ServerHttpResponse response, Mono<Flux<SseFrame>> stream) {
        return stream.map(frames -> streaming(response, frames))
                .defaultIfEmpty(Mono.defer(() -> noContent(response)))
                .flatMap(writing -> writing);
    }

    private static Mono<Void> streaming(ServerHttpResponse response, Flux<SseFrame> frames) {
        response.setStatusCode(HttpStatus.OK);
        eventStreamHeaders(response.getHeaders());
        response.getHeaders().set("X-Accel-Buffering", "no");
        var buffers = response.bufferFactory();
        // One write stream, not one flushed group per frame: Reactor Netty flushes whenever the frames written so far
        // are drained, so a frame still leaves at once, and a burst leaves in one flush.
        return response.writeWith(frames.map(frame -> frame.buffer(buffers)));
    }

    private static Mono<Void> noContent(ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.NO_CONTENT);
        eventStreamHeaders(response.getHeaders());
        return response.setComplete();
    }

    private static void eventStreamHeaders(HttpHeaders headers) {
        headers.setContentType(MediaType.TEXT_EVENT_STREAM);
        headers.setCacheControl("no-cache");
    }
}
