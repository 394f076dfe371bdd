package io.runway.worker.log;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
class LogRepository {

    private static final String INSERT =
            """
            INSERT INTO worker_logs (id, server_id, level, message, created_at)
            SELECT u.id, :server, u.level, u.message, :at::timestamptz
            FROM unnest(:ids::uuid[], :levels::text[], :messages::text[]) AS u(id, level, message)
            """;

    // Served by worker_logs_created_brin; small batches keep each delete's locks and WAL burst short.
    private static final String PURGE_BATCH =
            """
            DELETE FROM worker_logs WHERE id IN (
                SELECT id FROM worker_logs WHERE created_at < :cutoff::timestamptz LIMIT :batch)
            """;

    private final DatabaseClient db;

    LogRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Long> insert(UUID server, UUID[] ids, String[] levels, String[] messages, Instant at) {
        return db.sql(INSERT)
                .bind("server", server)
                .bind("ids", ids)
                .bind("levels", levels)
                .bind("messages", messages)
                .bind("at", at)
                .fetch()
                .rowsUpdated();
    }

    Mono<Long> purgeBatch(Instant cutoff, int batch) {
        return db.sql(PURGE_BATCH)
                .bind("cutoff", cutoff)
                .bind("batch", batch)
                .fetch()
                .rowsUpdated();
    }
}
