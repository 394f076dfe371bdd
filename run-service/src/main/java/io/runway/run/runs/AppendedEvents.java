package io.runway.run.runs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Events just appended to one run's log, numbered from {@code firstSeq}, each with the progress it announces.
 *
 * @param traceparent the run's trace (its start request's W3C context), carried with the events to the streams; or null
 */
public record AppendedEvents(
        UUID runId, long firstSeq, List<Integer> progress, List<RunEvent> events, Instant at, String traceparent) {

    public AppendedEvents(UUID runId, long firstSeq, List<Integer> progress, List<RunEvent> events, Instant at) {
        this(runId, firstSeq, progress, events, at, null);
    }
}
