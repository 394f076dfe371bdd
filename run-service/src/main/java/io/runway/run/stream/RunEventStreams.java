package io.runway.run.stream;

import io.runway.common.error.ApiException;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Opens one subscriber's stream of a run: the events after its resume point, then live events, with no gap and no
 * duplicate ({@link RunSubscriber}). The head is read from PostgreSQL to check the caller's tenant and to tell a
 * finished run, whose last event the caller has seen, from one that goes on.
 */
@Service
public class RunEventStreams {

    private final RunEventRepository repository;
    private final RunStreamParts parts;
    private final SseFrame hello;

    RunEventStreams(RunEventRepository repository, RunStreamParts parts) {
        this.repository = repository;
        this.parts = parts;
        this.hello = SseFrame.retry(parts.properties().retry(), "stream open");
    }

    /**
     * The tenant's run as a stream, resuming after {@code lastEventId} when given; empty when the run has ended and the
     * caller has seen its last event (nothing more will come).
     */
    public Mono<RunEventStream> open(String tenant, UUID runId, Long lastEventId, EventFormat format) {
        return repository
                .head(runId)
                .filter(head -> head.tenantId().equals(tenant))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Run not found")))
                .flatMap(head -> {
                    long resumeAfter =
                            lastEventId != null ? lastEventId : format.newSubscriberStartsAfter(head.eventSeq());
                    if (!head.status().isActive() && resumeAfter >= head.eventSeq()) {
                        return Mono.empty();
                    }
                    return format.renderer(runId, resumeAfter)
                            .map(renderer -> new RunEventStream(head, resumeAfter, renderer, parts, hello));
                });
    }
}
