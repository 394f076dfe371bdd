package io.runway.run.face.generic;

import io.runway.run.runs.RunStatus;
import io.runway.run.runs.StatusNames;
import io.runway.run.runs.StepStatus;
import io.runway.run.stream.EventFormat;
import io.runway.run.stream.StoredEvent;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 003's stream: {@code event: run} or {@code event: step}, data {@code {"seq", "runId", "type", "stepKey",
 * "status", "progress", "message", "createdAt"}} with the generic face's state names. A new subscriber gets the run's
 * whole history first, then live events.
 */
@Component
class GenericEventFormat implements EventFormat {

    private static final StatusNames.Face FACE = StatusNames.Face.GENERIC;

    private final JsonMapper json;
    // Every subscriber of a run gets the same event instance from its channel, mostly one after another on the
    // dispatch thread: rendering it once serves them all.
    private final AtomicReference<Rendered> lastRendered = new AtomicReference<>();

    GenericEventFormat(JsonMapper json) {
        this.json = json;
    }

    @Override
    public long newSubscriberStartsAfter(long headSeq) {
        return 0;
    }

    @Override
    public Mono<Renderer> renderer(UUID runId, long resumeAfter) {
        return Mono.just(this::render);
    }

    private ServerSentEvent<String> render(StoredEvent event) {
        var cached = lastRendered.get();
        if (cached != null && cached.event() == event) {
            return cached.sse();
        }
        var sse = write(event);
        lastRendered.set(new Rendered(event, sse));
        return sse;
    }

    private ServerSentEvent<String> write(StoredEvent event) {
        var status = event.isRun()
                ? StatusNames.run(RunStatus.fromDb(event.status()), FACE)
                : StatusNames.step(StepStatus.fromDb(event.status()), FACE);
        var data = new EventData(
                event.seq(),
                event.runId(),
                event.type(),
                event.stepKey(),
                status,
                event.progress(),
                event.message(),
                event.createdAt());
        return ServerSentEvent.builder(json.writeValueAsString(data))
                .id(Long.toString(event.seq()))
                .event(event.type())
                .build();
    }

    private record Rendered(StoredEvent event, ServerSentEvent<String> sse) {}

    record EventData(
            long seq,
            UUID runId,
            String type,
            String stepKey,
            String status,
            int progress,
            String message,
            Instant createdAt) {}
}
