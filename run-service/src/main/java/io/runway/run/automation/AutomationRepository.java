package io.runway.run.automation;

import io.r2dbc.spi.Readable;
import io.runway.common.id.UuidV7;
import io.runway.run.config.JsonColumns;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Automations and their immutable versions. */
@Repository
class AutomationRepository {

    private static final int PARSED_STEPS_KEPT = 10_000;

    private static final String SELECT =
            """
            SELECT a.id, a.tenant_id, v.name, v.id AS version_id, v.version_number, v.steps, a.created_by,
                   a.created_at, a.updated_at
            FROM automations a JOIN automation_versions v ON v.automation_id = a.id
            """;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final JsonColumns json;
    private final Clock clock;
    /** Versions never change, so their steps are parsed once (a bounded cache, emptied when full). */
    private final Map<UUID, List<StepDefinition>> parsedSteps = new ConcurrentHashMap<>();

    AutomationRepository(DatabaseClient db, TransactionalOperator tx, JsonColumns json, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    Mono<Automation> create(String tenantId, String userId, AutomationDraft draft) {
        var id = UuidV7.next(clock);
        var versionId = UuidV7.next(clock);
        var now = clock.instant();
        var work = db.sql(
                        """
                        INSERT INTO automations (id, tenant_id, name, current_version_id, version_number, created_by,
                            created_at, updated_at)
                        VALUES (:id, :tenant, :name, :version, 1, :user, :now, :now)""")
                .bind("id", id)
                .bind("tenant", tenantId)
                .bind("name", draft.name())
                .bind("version", versionId)
                .bind("user", userId)
                .bind("now", now)
                .then()
                .then(insertVersion(id, versionId, 1, draft, userId, now))
                .then(find(tenantId, id));
        return tx.transactional(work);
    }

    Mono<Automation> addVersion(String tenantId, UUID id, String userId, AutomationDraft draft) {
        var versionId = UuidV7.next(clock);
        var now = clock.instant();
        var work = db.sql("SELECT version_number FROM automations WHERE id = :id AND tenant_id = :tenant FOR UPDATE")
                .bind("id", id)
                .bind("tenant", tenantId)
                .map(row -> row.get("version_number", Integer.class))
                .one()
                .flatMap(current -> insertVersion(id, versionId, current + 1, draft, userId, now)
                        .then(db.sql(
                                        """
                                        UPDATE automations SET name = :name, current_version_id = :version,
                                            version_number = :number, updated_at = :now
                                        WHERE id = :id""")
                                .bind("name", draft.name())
                                .bind("version", versionId)
                                .bind("number", current + 1)
                                .bind("now", now)
                                .bind("id", id)
                                .then())
                        .then(find(tenantId, id)));
        return tx.transactional(work);
    }

    private Mono<Void> insertVersion(
            UUID automationId, UUID versionId, int number, AutomationDraft draft, String userId, Instant now) {
        return db.sql(
                        """
                        INSERT INTO automation_versions (id, automation_id, version_number, name, steps, created_by,
                            created_at)
                        VALUES (:id, :automation, :number, :name, :steps, :user, :now)""")
                .bind("id", versionId)
                .bind("automation", automationId)
                .bind("number", number)
                .bind("name", draft.name())
                .bind("steps", json.json(draft.steps()))
                .bind("user", userId)
                .bind("now", now)
                .then();
    }

    Mono<Automation> find(String tenantId, UUID id) {
        return db.sql(SELECT + "WHERE a.id = :id AND a.tenant_id = :tenant AND v.id = a.current_version_id")
                .bind("id", id)
                .bind("tenant", tenantId)
                .map(this::automation)
                .one();
    }

    /** The current version of each automation asked for, in one statement; empty where the tenant has no such one. */
    Mono<List<Optional<Automation>>> findAll(List<AutomationKey> keys) {
        return db.sql(
                        """
                        SELECT a.id, a.tenant_id, v.name, v.id AS version_id, v.version_number, v.steps, a.created_by,
                               a.created_at, a.updated_at
                        FROM automations a JOIN automation_versions v ON v.id = a.current_version_id
                        WHERE a.id = ANY(CAST(:ids AS uuid[]))""")
                .bind(
                        "ids",
                        keys.stream().map(key -> key.id().toString()).distinct().toArray(String[]::new))
                .map(this::automation)
                .all()
                .collectMap(Automation::id)
                .map(found -> keys.stream()
                        .map(key -> Optional.ofNullable(found.get(key.id()))
                                .filter(automation -> automation.tenantId().equals(key.tenantId())))
                        .toList());
    }

    Flux<Automation> versions(String tenantId, UUID id) {
        return db.sql(SELECT + "WHERE a.id = :id AND a.tenant_id = :tenant ORDER BY v.version_number DESC")
                .bind("id", id)
                .bind("tenant", tenantId)
                .map(this::automation)
                .all();
    }

    Flux<Automation> list(String tenantId, int limit, long offset) {
        return db.sql(
                        SELECT
                                + """
                        WHERE a.tenant_id = :tenant AND v.id = a.current_version_id
                        ORDER BY a.id DESC LIMIT :limit OFFSET :offset""")
                .bind("tenant", tenantId)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(this::automation)
                .all();
    }

    Mono<Long> count(String tenantId) {
        return db.sql("SELECT count(*) AS n FROM automations WHERE tenant_id = :tenant")
                .bind("tenant", tenantId)
                .map(row -> row.get("n", Long.class))
                .one();
    }

    private Automation automation(Readable row) {
        var versionId = row.get("version_id", UUID.class);
        var steps = parsedSteps.get(versionId);
        if (steps == null) {
            steps = steps(row.get("steps"));
            if (parsedSteps.size() >= PARSED_STEPS_KEPT) {
                parsedSteps.clear();
            }
            parsedSteps.put(versionId, steps);
        }
        return new Automation(
                row.get("id", UUID.class),
                row.get("tenant_id", String.class),
                row.get("name", String.class),
                versionId,
                row.get("version_number", Integer.class),
                steps,
                row.get("created_by", String.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }

    private List<StepDefinition> steps(Object column) {
        var steps = new ArrayList<StepDefinition>();
        for (JsonNode step : json.read(column)) {
            var deps = new ArrayList<String>();
            step.path("dependsOn").forEach(d -> deps.add(d.asString()));
            steps.add(new StepDefinition(
                    step.path("key").asString(),
                    step.path("name").asString(),
                    step.path("type").asString(),
                    List.copyOf(deps),
                    step.path("config")));
        }
        return List.copyOf(steps);
    }
}
