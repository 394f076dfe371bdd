package io.runway.run.runs;

import io.r2dbc.spi.Readable;
import io.runway.run.config.JsonColumns;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Maps {@code runs} and {@code run_steps} rows to records: the one row-mapping place for both tables. */
@Component
class RunRows {

    static final String RUN_COLUMNS =
            """
            id, tenant_id, automation_id, automation_version_id, version_number, status, trigger_type,
            trigger_source_type, trigger_source_id, skip_schedule_node, concurrency_key, idempotency_key, progress,
            error, lease_owner, lease_expires_at, canceled_by, canceled_at, created_at, updated_at, started_at,
            completed_at, traceparent""";

    static final String STEP_COLUMNS =
            """
            id, run_id, position, step_key, name, type, depends_on, config, status, attempt, result,
            result_truncated, error, decision_id, started_at, completed_at""";

    private final JsonColumns json;

    public RunRows(JsonColumns json) {
        this.json = json;
    }

    public Run run(Readable row) {
        return new Run(
                row.get("id", UUID.class),
                row.get("tenant_id", String.class),
                row.get("automation_id", UUID.class),
                row.get("automation_version_id", UUID.class),
                row.get("version_number", Integer.class),
                RunStatus.fromDb(row.get("status", String.class)),
                TriggerType.fromDb(row.get("trigger_type", String.class)),
                row.get("trigger_source_type", String.class),
                row.get("trigger_source_id", String.class),
                Boolean.TRUE.equals(row.get("skip_schedule_node", Boolean.class)),
                row.get("concurrency_key", String.class),
                row.get("idempotency_key", String.class),
                row.get("progress", Integer.class),
                json.read(row.get("error")),
                row.get("lease_owner", String.class),
                row.get("lease_expires_at", Instant.class),
                row.get("canceled_by", String.class),
                row.get("canceled_at", Instant.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class),
                row.get("started_at", Instant.class),
                row.get("completed_at", Instant.class),
                row.get("traceparent", String.class));
    }

    public RunStep step(Readable row) {
        return new RunStep(
                row.get("id", UUID.class),
                row.get("run_id", UUID.class),
                row.get("position", Integer.class),
                row.get("step_key", String.class),
                row.get("name", String.class),
                row.get("type", String.class),
                json.readStrings(row.get("depends_on")),
                json.read(row.get("config")),
                StepStatus.fromDb(row.get("status", String.class)),
                row.get("attempt", Integer.class),
                json.read(row.get("result")),
                Boolean.TRUE.equals(row.get("result_truncated", Boolean.class)),
                json.read(row.get("error")),
                row.get("decision_id", String.class),
                row.get("started_at", Instant.class),
                row.get("completed_at", Instant.class));
    }
}
