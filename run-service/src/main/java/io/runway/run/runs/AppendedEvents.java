package io.runway.run.runs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Events just appended to one run's log, numbered from {@code firstSeq}, each with the progress it announces. */
public record AppendedEvents(UUID runId, long firstSeq, List<Integer> progress, List<RunEvent> events, Instant at) {}
