package io.runway.run.stream;

import io.runway.common.error.ApiException;
import io.runway.run.stream.RunEventRepository.RunHead;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Opens one subscriber's stream of a run: the events after its resume point, then live events, with no gap and no
 * duplicate ({@link RunSubscriber}). The run's head (its tenant, state and last sequence) tells the caller's run from
 * another tenant's and a finished run whose last event the caller has seen from one that goes on: it comes from the
 * run's fan-out when the run is streamed here already, else from PostgreSQL.
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
        return head(runId, lastEventId)
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

    /**
     * A client that has seen more than this instance knows (events that have not reached it yet, the run's end among
     * them, perhaps) is answered from PostgreSQL, so that a finished run still gets its 204.
     */
    private Mono<RunHead> head(UUID runId, Long lastEventId) {
        var known = parts.channels().head(runId);
        boolean fromMemory = known != null && (lastEventId == null || lastEventId <= known.eventSeq());
        parts.metrics().headRead(fromMemory);
        return fromMemory ? Mono.just(known) : repository.head(runId);
    }
}
