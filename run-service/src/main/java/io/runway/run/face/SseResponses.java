package io.runway.run.face;

import io.runway.common.error.InvalidInputException;
import io.runway.run.stream.RunEventStream;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The HTTP side shared by both faces' stream endpoints: Last-Event-ID parsing and unbuffered SSE responses. */
public final class SseResponses {

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
     * Writes 200 with the stream, or 204 when the run has ended and the client has seen everything: EventSource stops
     * reconnecting on 204.
     */
    public static Mono<Void> write(ServerHttpResponse response, Mono<RunEventStream> stream) {
        return stream.map(opened -> streaming(response, opened))
                .defaultIfEmpty(Mono.defer(() -> noContent(response)))
                .flatMap(writing -> writing);
    }

    static Mono<Void> streaming(ServerHttpResponse response, RunEventStream stream) {
        response.setStatusCode(HttpStatus.OK);
        eventStreamHeaders(response.getHeaders());
        response.getHeaders().set("X-Accel-Buffering", "no");
        var buffers = response.bufferFactory();
        var direct = BelowCodecConnection.of(response);
        if (direct != null) {
            // A write stream, not a single buffer: a Mono would be sent with a Content-Length, not chunked.
            return response.writeWith(Flux.just(stream.hello().buffer(buffers))).then(stream.writeTo(direct));
        }
        var channel = BelowCodecConnection.channel(response);
        var queued = new QueuedConnection(channel == null ? null : channel.eventLoop());
        queued.write(stream.hello());
        return response.writeWith(queued.buffers(buffers))
                .and(stream.writeTo(queued).doFinally(signal -> queued.complete()));
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
