package io.runway.run.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of runs for the API faces; every query is scoped to one tenant. */
@Repository
public class RunQueries {

    private final DatabaseClient db;
    private final RunRows rows;

    public RunQueries(DatabaseClient db, RunRows rows) {
        this.db = db;
        this.rows = rows;
    }

    public Mono<Run> find(String tenantId, UUID runId) {
        return db.sql("SELECT " + RunRows.RUN_COLUMNS + " FROM runs WHERE id = :id AND tenant_id = :tenant")
                .bind("id", runId)
                .bind("tenant", tenantId)
                .map(rows::run)
                .one();
    }

    public Mono<Run> findByIdempotencyKey(String tenantId, String key) {
        return db.sql("SELECT " + RunRows.RUN_COLUMNS
                        + " FROM runs WHERE tenant_id = :tenant AND idempotency_key = :key")
                .bind("tenant", tenantId)
                .bind("key", key)
                .map(rows::run)
                .one();
    }

    public Flux<RunStep> steps(UUID runId) {
        return db.sql("SELECT " + RunRows.STEP_COLUMNS + " FROM run_steps WHERE run_id = :run ORDER BY position")
                .bind("run", runId)
                .map(rows::step)
                .all();
    }

    /** Pending and running runs of the tenant, newest first (served by the partial index on unfinished runs). */
    public Flux<Run> active(String tenantId, int limit) {
        return db.sql(
                        """
                        SELECT %s FROM runs
                        WHERE tenant_id = :tenant AND status IN ('pending', 'running')
                        ORDER BY id DESC LIMIT :limit"""
                                .formatted(RunRows.RUN_COLUMNS))
                .bind("tenant", tenantId)
                .bind("limit", limit)
                .map(rows::run)
                .all();
    }

    /** Active runs holding or waiting for a concurrency key. */
    public Flux<Run> activeWithKey(String tenantId, String concurrencyKey) {
        return db.sql(
                        """
                        SELECT %s FROM runs
                        WHERE tenant_id = :tenant AND concurrency_key = :key AND status IN ('pending', 'running')"""
                                .formatted(RunRows.RUN_COLUMNS))
                .bind("tenant", tenantId)
                .bind("key", concurrencyKey)
                .map(rows::run)
                .all();
    }

    public Mono<RunPage> page(RunFilter filter) {
        if (filter.statuses() != null && filter.statuses().isEmpty()) {
            return Mono.just(new RunPage(List.of(), 0, null));
        }
        var where = where(filter);
        var count = bind(db.sql("SELECT count(*) AS n FROM runs WHERE " + where), filter)
                .map(row -> row.get("n", Long.class))
                .one();
        var pageWhere = where;
        if (filter.after() != null) {
            pageWhere += filter.ascending() ? " AND id > :after" : " AND id < :after";
        }
        var sql = "SELECT " + RunRows.RUN_COLUMNS + " FROM runs WHERE " + pageWhere + " ORDER BY id "
                + (filter.ascending() ? "ASC" : "DESC") + " LIMIT :limit"
                + (filter.after() == null ? " OFFSET :offset" : "");
        var spec = bind(db.sql(sql), filter).bind("limit", filter.limit());
        spec = filter.after() == null ? spec.bind("offset", filter.offset()) : spec.bind("after", filter.after());
        var items = spec.map(rows::run).all().collectList();
        return Mono.zip(items, count).map(page -> {
            var list = page.getT1();
            var next = list.size() == filter.limit() ? list.get(list.size() - 1).id() : null;
            return new RunPage(list, page.getT2(), next);
        });
    }

    private static String where(RunFilter filter) {
        var parts = new ArrayList<String>();
        parts.add("tenant_id = :tenant");
        if (filter.automationId() != null) {
            parts.add("automation_id = :automation");
        }
        if (filter.statuses() != null) {
            var names = filter.statuses().stream().map(s -> "'" + s.db() + "'").toList();
            parts.add("status IN (" + String.join(", ", names) + ")");
        }
        if (filter.triggerType() != null) {
            parts.add("trigger_type = :trigger");
        }
        return String.join(" AND ", parts);
    }

    private static GenericExecuteSpec bind(GenericExecuteSpec spec, RunFilter filter) {
        spec = spec.bind("tenant", filter.tenantId());
        if (filter.automationId() != null) {
            spec = spec.bind("automation", filter.automationId());
        }
        if (filter.triggerType() != null) {
            spec = spec.bind("trigger", filter.triggerType().db());
        }
        return spec;
    }
}
