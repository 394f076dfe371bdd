package io.runway.run.runs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Where the store announces the events it appends, to be passed on once (and only if) their transaction commits. */
public interface CommittedEvents {

    /** Registers the events of one or more runs just appended in the current transaction. */
    Mono<Void> afterCommit(List<AppendedEvents> appended);

    /** Passes on at once the events of a statement that committed on its own (one statement, no transaction). */
    void committed(List<AppendedEvents> appended);

    /** Registers the events numbered {@code firstSeq, firstSeq + 1, ...} just appended for the run. */
    default Mono<Void> afterCommit(
            UUID runId, long firstSeq, List<Integer> progress, List<RunEvent> events, Instant at) {
        return afterCommit(List.of(new AppendedEvents(runId, firstSeq, progress, events, at)));
    }
}
