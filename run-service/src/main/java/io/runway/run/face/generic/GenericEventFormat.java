package io.runway.run.face.generic;

import io.runway.run.runs.RunStatus;
import io.runway.run.runs.StatusNames;
import io.runway.run.runs.StepStatus;
import io.runway.run.stream.EventFormat;
import io.runway.run.stream.EventFrames;
import io.runway.run.stream.SseFrame;
import io.runway.run.stream.StoredEvent;
import java.time.Instant;
import java.util.UUID;
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

    private SseFrame render(EventFrames frames) {
        var event = frames.event();
        return frames.frame(this, event.type(), () -> json.writeValueAsBytes(data(event)));
    }

    private static EventData data(StoredEvent event) {
        var status = event.isRun()
                ? StatusNames.run(RunStatus.fromDb(event.status()), FACE)
                : StatusNames.step(StepStatus.fromDb(event.status()), FACE);
        return new EventData(
                event.seq(),
                event.runId(),
                event.type(),
                event.stepKey(),
                status,
                event.progress(),
                event.message(),
                event.createdAt());
    }

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
