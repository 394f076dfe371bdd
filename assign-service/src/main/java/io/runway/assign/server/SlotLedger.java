package io.runway.assign.server;

import java.util.Collection;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code servers.active_tasks} equal to the number of the server's queued and running links. Runs inside the
 * caller's transaction: the server rows are locked first, and counted in a second statement whose snapshot is taken
 * after the lock, so an assignment that committed meanwhile is counted.
 */
@Component
public class SlotLedger {

    private static final String RECOUNT =
            """
            UPDATE servers s SET active_tasks = c.n, updated_at = :now
            FROM (SELECT s2.id,
                         (SELECT count(*) FROM links l
                          WHERE l.server_id = s2.id AND l.status IN ('queued', 'running'))::int AS n
                  FROM servers s2 WHERE s2.id = ANY (:ids)) c
            WHERE s.id = c.id AND s.active_tasks <> c.n
            """;

    private final DatabaseClient db;

    SlotLedger(DatabaseClient db) {
        this.db = db;
    }

    /** Recounts the given servers, waiting for their locks; returns how many counters changed. */
    public Mono<Long> recount(Collection<UUID> serverIds, java.time.Instant now) {
        var ids = serverIds.stream()
                .filter(java.util.Objects::nonNull)
                .distinct()
                .sorted()
                .toArray(UUID[]::new);
        if (ids.length == 0) {
            return Mono.just(0L);
        }
        return db.sql("SELECT id FROM servers WHERE id = ANY (:ids) ORDER BY id FOR UPDATE")
                .bind("ids", ids)
                .fetch()
                .all()
                .then(db.sql(RECOUNT).bind("ids", ids).bind("now", now).fetch().rowsUpdated());
    }

    /** Recounts every server not locked by someone else right now; returns how many counters changed. */
    public Mono<Long> recountAll(java.time.Instant now) {
        return db.sql("SELECT id FROM servers ORDER BY id FOR UPDATE SKIP LOCKED")
                .map(row -> row.get("id", UUID.class))
                .all()
                .collectList()
                .flatMap(ids -> ids.isEmpty()
                        ? Mono.just(0L)
                        : db.sql(RECOUNT)
                                .bind("ids", ids.toArray(UUID[]::new))
                                .bind("now", now)
                                .fetch()
                                .rowsUpdated());
    }
}
