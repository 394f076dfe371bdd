package io.runway.assign.server;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and changes the {@code servers} table (with {@code server_health} for what heartbeats reported). */
@Repository
class ServerRepository {

    private static final String COLUMNS =
            """
            SELECT s.id, s.name, COALESCE(s.ip, h.ip) AS ip, s.service, s.status,
                   COALESCE(h.active_threads, 0) AS active_threads, s.active_tasks, s.max_threads, s.priority,
                   h.last_health_check, h.last_active, s.max_threads - s.active_tasks AS avail_slots
            FROM servers s LEFT JOIN server_health h ON h.server_id = s.id
            """;

    private final DatabaseClient db;

    ServerRepository(DatabaseClient db) {
        this.db = db;
    }

    Flux<ServerView> list(String status, Instant inactiveSince) {
        return db.sql(
                        COLUMNS
                                + """
                        WHERE (:status::text IS NULL OR s.status = :status)
                          AND (:inactiveSince::timestamptz IS NULL
                               OR h.last_health_check IS NULL OR h.last_health_check < :inactiveSince)
                        ORDER BY s.priority DESC, s.name
                        """)
                .bind("status", Parameter.fromOrEmpty(status, String.class))
                .bind("inactiveSince", Parameter.fromOrEmpty(inactiveSince, Instant.class))
                .map(row -> map(row, false))
                .all();
    }

    /** Servers with free slots; {@code service} matches the server's service or a link service type it takes. */
    Flux<ServerView> available(String status, String service) {
        return db.sql(
                        COLUMNS
                                + """
                        WHERE s.status = :status AND s.active_tasks < s.max_threads
                          AND (:service::text IS NULL OR s.service = :service
                               OR (s.service = 'tool'
                                   AND (:service = ANY (s.service_types) OR cardinality(s.service_types) = 0)
                                   AND :service IN ('entity', 'social', 'blog20', 'podcast', 'stacking', 'indexing')))
                        ORDER BY s.priority DESC, avail_slots DESC, s.name
                        """)
                .bind("status", status)
                .bind("service", Parameter.fromOrEmpty(service, String.class))
                .map(row -> map(row, true))
                .all();
    }

    Mono<ServerView> find(UUID id) {
        return db.sql(COLUMNS + " WHERE s.id = :id")
                .bind("id", id)
                .map(row -> map(row, false))
                .one();
    }

    Flux<ServerView> findByName(String name) {
        return db.sql(COLUMNS + " WHERE (:name::text IS NULL OR s.name = :name) ORDER BY s.name")
                .bind("name", Parameter.fromOrEmpty(name, String.class))
                .map(row -> map(row, false))
                .all();
    }

    Mono<Long> updateStatus(UUID id, String status, Instant now) {
        return db.sql("UPDATE servers SET status = :status, updated_at = :now WHERE id = :id")
                .bind("id", id)
                .bind("status", status)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    Mono<Void> insert(NewServer server, String keyHash, Instant now) {
        return db.sql(
                        """
                        INSERT INTO servers (id, name, ip, service, service_types, status, api_key_hash,
                                             max_threads, priority, created_at, updated_at)
                        VALUES (:id, :name, :ip, :service, :serviceTypes, :status, :hash,
                                :maxThreads, :priority, :now, :now)
                        """)
                .bind("id", server.id())
                .bind("name", server.name())
                .bind("ip", Parameter.fromOrEmpty(server.ip(), String.class))
                .bind("service", server.service())
                .bind("serviceTypes", server.serviceTypes())
                .bind("status", server.status())
                .bind("hash", keyHash)
                .bind("maxThreads", server.maxThreads())
                .bind("priority", server.priority())
                .bind("now", now)
                .then();
    }

    Mono<Long> rotateKey(UUID id, String keyHash, Instant now) {
        return db.sql("UPDATE servers SET api_key_hash = :hash, updated_at = :now WHERE id = :id")
                .bind("id", id)
                .bind("hash", keyHash)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    Mono<Long> update(UUID id, ServerUpdate change, Instant now) {
        return db.sql(
                        """
                        UPDATE servers SET
                            ip = COALESCE(:ip, ip),
                            status = COALESCE(:status, status),
                            max_threads = COALESCE(:maxThreads, max_threads),
                            priority = COALESCE(:priority, priority),
                            service_types = COALESCE(:serviceTypes, service_types),
                            updated_at = :now
                        WHERE id = :id
                        """)
                .bind("id", id)
                .bind("ip", Parameter.fromOrEmpty(change.ip(), String.class))
                .bind("status", Parameter.fromOrEmpty(change.status(), String.class))
                .bind("maxThreads", Parameter.fromOrEmpty(change.maxThreads(), Integer.class))
                .bind("priority", Parameter.fromOrEmpty(change.priority(), Integer.class))
                .bind("serviceTypes", Parameter.fromOrEmpty(change.serviceTypes(), String[].class))
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    private static ServerView map(Readable row, boolean withSlots) {
        return new ServerView(
                row.get("id", UUID.class),
                row.get("name", String.class),
                row.get("ip", String.class),
                row.get("service", String.class),
                row.get("status", String.class),
                row.get("active_threads", Integer.class),
                row.get("active_tasks", Integer.class),
                row.get("max_threads", Integer.class),
                row.get("priority", Integer.class),
                row.get("last_health_check", Instant.class),
                row.get("last_active", Instant.class),
                withSlots ? row.get("avail_slots", Integer.class) : null);
    }
}
