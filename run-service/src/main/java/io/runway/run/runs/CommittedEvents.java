package io.runway.run.runs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Where the store announces the events it appends, to be passed on once (and only if) their transaction commits. */
public interface CommittedEvents {

    /** Registers the events numbered {@code firstSeq, firstSeq + 1, ...} just appended for the run. */
    Mono<Void> afterCommit(UUID runId, long firstSeq, List<Integer> progress, List<RunEvent> events, Instant at);
}
