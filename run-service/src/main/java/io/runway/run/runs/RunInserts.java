package io.runway.run.runs;

import io.runway.common.id.UuidV7;
import io.runway.run.config.JsonColumns;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Inserts many runs, their steps and their first events in one statement, whatever the number of runs. A run whose
 * idempotency key the tenant already used, or whose automation version had to be current and no longer is, is left out
 * (its answer is empty). What was inserted is known without reading it back.
 */
@Component
class RunInserts {

    private static final String INSERT =
            """
            WITH inserted AS (
                INSERT INTO runs (id, tenant_id, automation_id, automation_version_id, version_number, status,
                    trigger_type, trigger_source_type, trigger_source_id, skip_schedule_node, concurrency_key,
                    idempotency_key, event_seq, created_at, updated_at, lease_owner, lease_expires_at, started_at,
                    traceparent)
                SELECT id, tenant_id, automation_id, version_id, version_number, status, trigger_type, 'user',
                    source_id, skip, concurrency_key, idempotency_key, seq, now, now, owner, expires,
                    CASE WHEN owner IS NULL THEN NULL ELSE now END, traceparent
                FROM unnest(CAST(:ids AS uuid[]), CAST(:tenants AS text[]), CAST(:automations AS uuid[]),
                    CAST(:versions AS uuid[]), CAST(:versionNumbers AS integer[]), CAST(:statuses AS text[]),
                    CAST(:triggers AS text[]), CAST(:sources AS text[]), CAST(:skips AS boolean[]),
                    CAST(:concurrencyKeys AS text[]), CAST(:idempotencyKeys AS text[]), CAST(:seqs AS bigint[]),
                    CAST(:nows AS timestamptz[]), CAST(:owners AS text[]), CAST(:expires AS timestamptz[]),
                    CAST(:traceparents AS text[]), CAST(:versionChecks AS boolean[]))
                    AS r(id, tenant_id, automation_id, version_id, version_number, status, trigger_type, source_id,
                        skip, concurrency_key, idempotency_key, seq, now, owner, expires, traceparent, version_check)
                WHERE NOT r.version_check OR EXISTS (
                    SELECT 1 FROM automations a WHERE a.id = r.automation_id AND a.current_version_id = r.version_id)
                ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id
            ), steps AS (
                INSERT INTO run_steps (id, run_id, position, step_key, name, type, depends_on, config, status)
                SELECT s.id, s.run_id, s.position, s.step_key, s.name, s.type, CAST(s.depends_on AS jsonb),
                    CAST(s.config AS jsonb), 'pending'
                FROM unnest(CAST(:stepIds AS uuid[]), CAST(:stepRuns AS uuid[]), CAST(:positions AS integer[]),
                    CAST(:keys AS text[]), CAST(:names AS text[]), CAST(:types AS text[]), CAST(:deps AS text[]),
                    CAST(:configs AS text[])) AS s(id, run_id, position, step_key, name, type, depends_on, config)
                JOIN inserted i ON i.id = s.run_id
            ), appended AS (
                INSERT INTO run_events (run_id, seq, type, step_key, status, progress, message, created_at)
                SELECT e.run_id, e.seq, e.type, e.step_key, e.status, e.progress, e.message, :now
                FROM %s
                JOIN inserted i ON i.id = e.run_id
            )
            SELECT id FROM inserted"""
                    .formatted(EventColumns.UNNEST);

    private final DatabaseClient db;
    private final JsonColumns json;
    private final Clock clock;
    private final CommittedEvents committed;

    RunInserts(DatabaseClient db, JsonColumns json, Clock clock, CommittedEvents committed) {
        this.db = db;
        this.json = json;
        this.clock = clock;
        this.committed = committed;
    }

    Mono<List<Optional<Run>>> insertAll(List<RunInsert> inserts) {
        var events = new EventColumns();
        for (var insert : inserts) {
            var run = insert.run();
            events.add(
                    run.id(),
                    1,
                    insert.events(),
                    Collections.nCopies(insert.events().size(), 0));
        }
        var spec = bindSteps(bindRuns(db.sql(INSERT), inserts), inserts);
        return events.bind(spec)
                .bind("now", inserts.get(0).run().now())
                .map(row -> row.get("id", UUID.class))
                .all()
                .collect(HashSet::new, Set::add)
                .flatMap(inserted -> {
                    var appended = new ArrayList<AppendedEvents>();
                    var answers = new ArrayList<Optional<Run>>(inserts.size());
                    for (var insert : inserts) {
                        var run = insert.run();
                        if (inserted.contains(run.id())) {
                            appended.add(new AppendedEvents(
                                    run.id(),
                                    1,
                                    Collections.nCopies(insert.events().size(), 0),
                                    insert.events(),
                                    run.now(),
                                    run.traceparent()));
                            answers.add(Optional.of(insert.inserted()));
                        } else {
                            answers.add(Optional.empty());
                        }
                    }
                    committed.committed(appended);
                    return Mono.just(answers);
                });
    }

    private DatabaseClient.GenericExecuteSpec bindRuns(
            DatabaseClient.GenericExecuteSpec spec, List<RunInsert> inserts) {
        int size = inserts.size();
        var ids = new String[size];
        var tenants = new String[size];
        var automations = new String[size];
        var versions = new String[size];
        var versionNumbers = new Integer[size];
        var statuses = new String[size];
        var triggers = new String[size];
        var sources = new String[size];
        var skips = new Boolean[size];
        var concurrencyKeys = new String[size];
        var idempotencyKeys = new String[size];
        var seqs = new Long[size];
        var nows = new String[size];
        var owners = new String[size];
        var expires = new String[size];
        var traceparents = new String[size];
        var versionChecks = new Boolean[size];
        for (int i = 0; i < size; i++) {
            var insert = inserts.get(i);
            var run = insert.run();
            ids[i] = run.id().toString();
            tenants[i] = run.tenantId();
            automations[i] = run.automationId().toString();
            versions[i] = run.automationVersionId().toString();
            versionNumbers[i] = run.versionNumber();
            statuses[i] = insert.running() ? "running" : "pending";
            triggers[i] = run.triggerType().db();
            sources[i] = run.triggerSourceId();
            skips[i] = run.skipScheduleNode();
            concurrencyKeys[i] = run.concurrencyKey();
            idempotencyKeys[i] = run.idempotencyKey();
            seqs[i] = (long) insert.events().size();
            nows[i] = insert.createdAt().toString();
            owners[i] = insert.owner();
            expires[i] = insert.running() ? insert.leaseExpiresAt().toString() : null;
            traceparents[i] = run.traceparent();
            versionChecks[i] = insert.versionMustBeCurrent();
        }
        return spec.bind("ids", ids)
                .bind("tenants", tenants)
                .bind("automations", automations)
                .bind("versions", versions)
                .bind("versionNumbers", versionNumbers)
                .bind("statuses", statuses)
                .bind("triggers", triggers)
                .bind("sources", sources)
                .bind("skips", skips)
                .bind("concurrencyKeys", concurrencyKeys)
                .bind("idempotencyKeys", idempotencyKeys)
                .bind("seqs", seqs)
                .bind("nows", nows)
                .bind("owners", owners)
                .bind("expires", expires)
                .bind("traceparents", traceparents)
                .bind("versionChecks", versionChecks);
    }

    private DatabaseClient.GenericExecuteSpec bindSteps(
            DatabaseClient.GenericExecuteSpec spec, List<RunInsert> inserts) {
        var ids = new ArrayList<String>();
        var runs = new ArrayList<String>();
        var positions = new ArrayList<Integer>();
        var keys = new ArrayList<String>();
        var names = new ArrayList<String>();
        var types = new ArrayList<String>();
        var deps = new ArrayList<String>();
        var configs = new ArrayList<String>();
        var texts = new IdentityHashMap<Object, String>();
        for (var insert : inserts) {
            var steps = insert.steps();
            for (int i = 0; i < steps.size(); i++) {
                var step = steps.get(i);
                ids.add(UuidV7.next(clock).toString());
                runs.add(insert.run().id().toString());
                positions.add(i);
                keys.add(step.key());
                names.add(step.name());
                types.add(step.type());
                // Runs of one automation share their step definitions: encode each once per batch.
                deps.add(texts.computeIfAbsent(
                        step.dependsOn(), value -> json.json(value).asString()));
                configs.add(texts.computeIfAbsent(
                        step.config(), value -> json.json(value).asString()));
            }
        }
        return spec.bind("stepIds", ids.toArray(String[]::new))
                .bind("stepRuns", runs.toArray(String[]::new))
                .bind("positions", positions.toArray(Integer[]::new))
                .bind("keys", keys.toArray(String[]::new))
                .bind("names", names.toArray(String[]::new))
                .bind("types", types.toArray(String[]::new))
                .bind("deps", deps.toArray(String[]::new))
                .bind("configs", configs.toArray(String[]::new));
    }
}
