package io.runway.assign.link;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import io.runway.assign.event.LinkChange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and changes {@code links} for the Assign API. */
@Repository
class LinkRepository {

    private static final String COLUMNS =
            """
            SELECT id, request_id, service_type, server_id, site_id, site_name, account_id, email, username, about,
                   link_profile, link_post, status, retry_count, max_retries, attempt, details::text AS details,
                   error_message, note, is_indexed, next_attempt_at, assigned_at, started_at, completed_at,
                   created_at, updated_at
            FROM links
            """;

    private final DatabaseClient db;

    LinkRepository(DatabaseClient db) {
        this.db = db;
    }

    Flux<LinkView> byStatus(String status, String serviceType, int limit) {
        return db.sql(
                        COLUMNS
                                + """
                        WHERE status = :status AND (:serviceType::text IS NULL OR service_type = :serviceType)
                        ORDER BY id LIMIT :limit
                        """)
                .bind("status", status)
                .bind("serviceType", Parameter.fromOrEmpty(serviceType, String.class))
                .bind("limit", limit)
                .map(LinkRepository::map)
                .all();
    }

    Flux<LinkView> stale(Instant startedBefore, String serviceType, int limit) {
        return db.sql(
                        COLUMNS
                                + """
                        WHERE status IN ('running', 'connecting') AND started_at < :before
                          AND (:serviceType::text IS NULL OR service_type = :serviceType)
                        ORDER BY started_at LIMIT :limit
                        """)
                .bind("before", startedBefore)
                .bind("serviceType", Parameter.fromOrEmpty(serviceType, String.class))
                .bind("limit", limit)
                .map(LinkRepository::map)
                .all();
    }

    Flux<LinkView> retryable(String serviceType, int limit) {
        return db.sql(
                        COLUMNS
                                + """
                        WHERE status = 'failed' AND retry_count < max_retries
                          AND (:serviceType::text IS NULL OR service_type = :serviceType)
                        ORDER BY id LIMIT :limit
                        """)
                .bind("serviceType", Parameter.fromOrEmpty(serviceType, String.class))
                .bind("limit", limit)
                .map(LinkRepository::map)
                .all();
    }

    Mono<LinkView> find(UUID id) {
        return db.sql(COLUMNS + " WHERE id = :id")
                .bind("id", id)
                .map(LinkRepository::map)
                .one();
    }

    /** Locks a link for a state change; returns its status and account. */
    Mono<Locked> lock(UUID id) {
        return db.sql("SELECT status, account_id, request_id FROM links WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map(row -> new Locked(
                        row.get("status", String.class),
                        row.get("account_id", UUID.class),
                        row.get("request_id", UUID.class)))
                .one();
    }

    /** Locks a server for an assignment; returns its free slots. */
    Mono<Integer> lockServerSlots(UUID serverId) {
        return db.sql("SELECT max_threads - active_tasks AS free FROM servers WHERE id = :id FOR UPDATE")
                .bind("id", serverId)
                .map(row -> row.get("free", Integer.class))
                .one();
    }

    Mono<Long> assign(UUID id, UUID serverId, Instant now) {
        return db.sql(
                        """
                        UPDATE links SET status = 'queued', server_id = :serverId, attempt = attempt + 1,
                            assigned_at = :now, started_at = NULL, completed_at = NULL, next_attempt_at = NULL,
                            updated_at = :now
                        WHERE id = :id AND status = 'pending'
                        """)
                .bind("id", id)
                .bind("serverId", serverId)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    Mono<Long> addActiveTasks(UUID serverId, int count, Instant now) {
        return db.sql(
                        """
                        UPDATE servers SET active_tasks = active_tasks + :n, updated_at = :now
                        WHERE id = :id AND active_tasks + :n <= max_threads
                        """)
                .bind("id", serverId)
                .bind("n", count)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    /** Inserts the links of one bulk call; returns how many went to each named server. */
    Flux<ServerCount> insertBulk(String document, Instant now) {
        return db.sql(
                        """
                        WITH x AS (
                            SELECT * FROM jsonb_to_recordset(:doc::jsonb) AS x(
                                id uuid, request_id uuid, service_type text, server_id uuid, site_id uuid,
                                site_name text, account_id uuid, email text, username text, password text,
                                about text, max_retries int, details jsonb)
                        ), inserted AS (
                            INSERT INTO links (id, request_id, service_type, server_id, site_id, site_name, account_id,
                                               email, username, password, about, max_retries, details, status,
                                               attempt, assigned_at, created_at, updated_at)
                            SELECT x.id, x.request_id, COALESCE(x.service_type, r.service_type), x.server_id,
                                   x.site_id, x.site_name,
                                   COALESCE(x.account_id, (SELECT a.id FROM accounts a WHERE a.email = x.email
                                                           ORDER BY a.id LIMIT 1)),
                                   x.email, x.username, x.password, x.about, COALESCE(x.max_retries, 3), x.details,
                                   CASE WHEN x.server_id IS NULL THEN 'pending' ELSE 'queued' END,
                                   CASE WHEN x.server_id IS NULL THEN 0 ELSE 1 END,
                                   CASE WHEN x.server_id IS NULL THEN NULL ELSE :now::timestamptz END,
                                   :now, :now
                            FROM x LEFT JOIN requests r ON r.id = x.request_id
                            RETURNING server_id
                        )
                        SELECT server_id, count(*)::int AS n FROM inserted GROUP BY server_id
                        """)
                .bind("doc", Json.of(document))
                .bind("now", now)
                .map(row -> new ServerCount(row.get("server_id", UUID.class), row.get("n", Integer.class)))
                .all();
    }

    /** Whether the request exists and, if so, up to {@code limit} of its failed links (links_request_status_idx). */
    Mono<List<UUID>> failedOf(UUID requestId, int limit) {
        return db.sql(
                        """
                        SELECT r.id AS request_id, l.id
                        FROM requests r
                        LEFT JOIN LATERAL (SELECT id FROM links WHERE request_id = r.id AND status = 'failed'
                                           ORDER BY id LIMIT :limit) l ON true
                        WHERE r.id = :requestId
                        """)
                .bind("requestId", requestId)
                .bind("limit", limit)
                .map(row -> Optional.ofNullable(row.get("id", UUID.class)))
                .all()
                .collectList()
                .filter(rows -> !rows.isEmpty())
                .map(rows -> rows.stream().flatMap(Optional::stream).toList());
    }

    /** Failed links back to pending with one more retry, now; returns the links changed. */
    Flux<LinkChange> retry(UUID[] ids, Instant now) {
        return db.sql(
                        """
                        UPDATE links SET status = 'pending', retry_count = retry_count + 1, server_id = NULL,
                            next_attempt_at = NULL, error_message = NULL, updated_at = :now
                        WHERE id = ANY (:ids) AND status = 'failed'
                        RETURNING id, request_id
                        """)
                .bind("ids", ids)
                .bind("now", now)
                .map(row ->
                        new LinkChange(row.get("id", UUID.class), row.get("request_id", UUID.class), null, "pending"))
                .all();
    }

    Flux<LinkChange> cancelExhausted(UUID requestId, Instant now) {
        return db.sql(
                        """
                        UPDATE links SET status = 'canceled', updated_at = :now
                        WHERE status = 'failed' AND retry_count >= max_retries
                          AND (:requestId::uuid IS NULL OR request_id = :requestId)
                        RETURNING id, request_id, server_id
                        """)
                .bind("requestId", Parameter.fromOrEmpty(requestId, UUID.class))
                .bind("now", now)
                .map(row -> new LinkChange(
                        row.get("id", UUID.class),
                        row.get("request_id", UUID.class),
                        row.get("server_id", UUID.class),
                        "canceled"))
                .all();
    }

    Mono<AccountStats> accountStats(String email, UUID requestId, Instant dayStart) {
        return db.sql(
                        """
                        SELECT
                          (SELECT count(*) FROM links WHERE email = :email AND status = 'pending') AS pending_count,
                          (SELECT count(*) FROM links WHERE email = :email AND status = 'completed'
                             AND completed_at >= :dayStart) AS today_count,
                          (SELECT count(*) FROM links WHERE email = :email AND status = 'completed') AS total_completed,
                          (SELECT max(completed_at) FROM links WHERE email = :email AND status = 'completed')
                             AS last_post_at,
                          (SELECT count(*) FROM links WHERE email = :email AND status = 'pending'
                             AND request_id = :requestId) AS request_pending,
                          (SELECT count(*) FROM links WHERE email = :email AND status = 'completed'
                             AND request_id = :requestId) AS request_completed
                        """)
                .bind("email", email)
                .bind("requestId", Parameter.fromOrEmpty(requestId, UUID.class))
                .bind("dayStart", dayStart)
                .map(row -> new AccountStats(
                        true,
                        email,
                        row.get("pending_count", Long.class),
                        row.get("today_count", Long.class),
                        row.get("total_completed", Long.class),
                        row.get("last_post_at", Instant.class),
                        row.get("request_pending", Long.class),
                        row.get("request_completed", Long.class)))
                .one();
    }

    private static LinkView map(Readable row) {
        return new LinkView(
                row.get("id", UUID.class),
                row.get("request_id", UUID.class),
                row.get("service_type", String.class),
                row.get("server_id", UUID.class),
                row.get("site_id", UUID.class),
                row.get("site_name", String.class),
                row.get("account_id", UUID.class),
                row.get("email", String.class),
                row.get("username", String.class),
                row.get("about", String.class),
                row.get("link_profile", String.class),
                row.get("link_post", String.class),
                row.get("status", String.class),
                row.get("retry_count", Integer.class),
                row.get("max_retries", Integer.class),
                row.get("attempt", Integer.class),
                row.get("details", String.class),
                row.get("error_message", String.class),
                row.get("note", String.class),
                row.get("is_indexed", Boolean.class),
                row.get("next_attempt_at", Instant.class),
                row.get("assigned_at", Instant.class),
                row.get("started_at", Instant.class),
                row.get("completed_at", Instant.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }

    /** A link locked for a change. */
    record Locked(String status, UUID accountId, UUID requestId) {}

    /** How many links went to one server ({@code null}: unassigned). */
    record ServerCount(UUID serverId, int count) {}

    /** {@code GET /links/account-stats}. */
    record AccountStats(
            boolean success,
            String email,
            long pendingCount,
            long todayCount,
            long totalCompleted,
            Instant lastPostAt,
            long requestPending,
            long requestCompleted) {}
}
