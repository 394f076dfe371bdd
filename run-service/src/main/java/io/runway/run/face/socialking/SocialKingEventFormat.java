package io.runway.run.face.socialking;

import io.runway.run.runs.RunStatus;
import io.runway.run.runs.StatusNames;
import io.runway.run.stream.EventFormat;
import io.runway.run.stream.EventFrames;
import io.runway.run.stream.RunEventRepository;
import io.runway.run.stream.SseFrame;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 000's stream: every run or step event becomes {@code event: status} with {@code {"runId", "status", "progress",
 * "message"}}, where {@code status} is the run's state (SSE names: {@code completed} for success). A new subscriber
 * gets the current state as one event (the last one), then live events.
 */
@Component
class SocialKingEventFormat implements EventFormat {

    private static final StatusNames.Face FACE = StatusNames.Face.SOCIALKING_SSE;

    private final RunEventRepository repository;
    private final JsonMapper json;

    SocialKingEventFormat(RunEventRepository repository, JsonMapper json) {
        this.repository = repository;
        this.json = json;
    }

    @Override
    public long newSubscriberStartsAfter(long headSeq) {
        return Math.max(0, headSeq - 1);
    }

    @Override
    public Mono<Renderer> renderer(UUID runId, long resumeAfter) {
        return repository
                .runStatusAt(runId, resumeAfter)
                .defaultIfEmpty(RunStatus.PENDING)
                .map(initial -> new StatusRenderer(initial)::render);
    }

    private final class StatusRenderer {

        private RunStatus runStatus;

        StatusRenderer(RunStatus initial) {
            this.runStatus = initial;
        }

        /** The frame shows the run's state after the event, so subscribers in the same state share it. */
        SseFrame render(EventFrames frames) {
            var event = frames.event();
            if (event.isRun()) {
                runStatus = RunStatus.fromDb(event.status());
            }
            var status = runStatus;
            return frames.frame(status, "status", () -> {
                var message = event.isRun() ? event.message() : event.stepKey() + ": " + event.message();
                return json.writeValueAsBytes(
                        new StatusData(event.runId(), StatusNames.run(status, FACE), event.progress(), message));
            });
        }
    }

    record StatusData(UUID runId, String status, int progress, String message) {}
}
