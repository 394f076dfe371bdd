package io.runway.run.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * Events to append to {@code run_events}, gathered as one array per column and read back in SQL by {@link #UNNEST}, so
 * that any number of events is one statement.
 */
final class EventColumns {

    /** The events as rows {@code e(run_id, seq, type, step_key, status, progress, message)}. */
    static final String UNNEST =
            """
            unnest(CAST(:eventRuns AS uuid[]), CAST(:eventSeqs AS bigint[]), CAST(:eventTypes AS text[]),
                CAST(:eventKeys AS text[]), CAST(:eventStatuses AS text[]), CAST(:eventProgress AS smallint[]),
                CAST(:eventMessages AS text[])) AS e(run_id, seq, type, step_key, status, progress, message)""";

    private final List<String> runs = new ArrayList<>();
    private final List<Long> seqs = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final List<Integer> progress = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    /** Adds a run's events numbered from {@code firstSeq}, each with its progress. */
    void add(UUID runId, long firstSeq, List<RunEvent> events, List<Integer> progressOfEach) {
        var run = runId.toString();
        for (int i = 0; i < events.size(); i++) {
            var event = events.get(i);
            runs.add(run);
            seqs.add(firstSeq + i);
            types.add(event.type());
            keys.add(event.stepKey());
            statuses.add(event.status());
            progress.add(progressOfEach.get(i));
            messages.add(event.message());
        }
    }

    boolean isEmpty() {
        return runs.isEmpty();
    }

    GenericExecuteSpec bind(GenericExecuteSpec spec) {
        return spec.bind("eventRuns", runs.toArray(String[]::new))
                .bind("eventSeqs", seqs.toArray(Long[]::new))
                .bind("eventTypes", types.toArray(String[]::new))
                .bind("eventKeys", keys.toArray(String[]::new))
                .bind("eventStatuses", statuses.toArray(String[]::new))
                .bind("eventProgress", progress.toArray(Integer[]::new))
                .bind("eventMessages", messages.toArray(String[]::new));
    }
}
