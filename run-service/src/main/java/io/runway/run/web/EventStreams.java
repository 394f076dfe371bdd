package io.runway.run.web;

import io.runway.run.events.RunEventRow;
import io.runway.run.events.RunEventStream;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Turns a run's stored events into an SSE response both faces share: {@code id:} = the event's sequence, a {@code
 * retry:} hint, keep-alive comments, headers that stop proxies buffering, and the end of the stream after the event
 * that ends the run.
 */
@Component
public class EventStreams {

    private static final ServerSentEvent<Object> END =
            ServerSentEvent.builder().comment("end").build();

    private final RunEventStream stream;

    EventStreams(RunEventStream stream) {
        this.stream = stream;
    }

    /** The Last-Event-ID header (as EventSource sends it) as a sequence; 0 when absent. */
    public static long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        try {
            var value = Long.parseLong(header.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Falls through to the refusal below.
        }
        throw InvalidInputException.of(
                List.of("header", "Last-Event-ID"),
                "Last-Event-ID must be an event id from this stream",
                "int_parsing");
    }

    public ResponseEntity<Flux<ServerSentEvent<Object>>> respond(
            UUID runId, long afterSeq, Function<RunEventRow, ServerSentEvent.Builder<Object>> render) {
        var retry = stream.properties().retry();
        var events = stream.follow(runId, afterSeq)
                .map(event -> render.apply(event)
                        .id(Long.toString(event.seq()))
                        .retry(retry)
                        .build())
                .concatWith(Flux.just(END));
        var keepAlive = Flux.interval(stream.properties().keepAlive())
                .map(tick -> ServerSentEvent.builder().comment("keep-alive").build());
        var body =
                Flux.merge(events, keepAlive).takeUntil(event -> event == END).filter(event -> event != END);
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no")
                .body(body);
    }
}
