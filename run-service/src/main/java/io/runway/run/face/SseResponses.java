package io.runway.run.face;

import io.runway.common.error.InvalidInputException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
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
     * 200 with the stream, or 204 when the run has ended and the client has seen everything: EventSource stops
     * reconnecting on 204.
     */
    public static Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> of(Mono<Flux<ServerSentEvent<String>>> stream) {
        return stream.map(events -> ResponseEntity.ok()
                        .contentType(MediaType.TEXT_EVENT_STREAM)
                        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                        .header("X-Accel-Buffering", "no")
                        .body(events))
                .defaultIfEmpty(ResponseEntity.noContent()
                        .header(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_EVENT_STREAM_VALUE)
                        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                        .build());
    }
}
