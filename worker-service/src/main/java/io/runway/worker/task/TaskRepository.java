package io.runway.worker.task;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class TaskRepository {

    // Served by links_server_status_id_idx (server_id, status, id): one range per status, then the id order.
    private static final String PAGE =
            """
            SELECT l.id, l.request_id, l.service_type, l.site_id, l.site_name, l.email, l.username, l.password,
                   l.about, l.link_profile, l.link_post, l.status, l.retry_count, l.max_retries,
                   l.details::text AS details, l.started_at, l.created_at, r.name AS request_name,
                   r.website AS request_website, r.type_request, r.auction_price, r.config::text AS config
            FROM links l JOIN requests r ON r.id = l.request_id
            WHERE l.server_id = :server AND l.status = ANY(:statuses::text[]) %s
            ORDER BY l.id
            LIMIT :limit OFFSET :offset
            """;

    private static final String COUNT =
            """
            SELECT count(*) AS total FROM links l
            WHERE l.server_id = :server AND l.status = ANY(:statuses::text[]) %s
            """;

    // Locks in id order, so concurrent batches over overlapping links cannot deadlock each other.
    private static final String LOCK =
            """
            SELECT id, request_id, server_id, status, retry_count, max_retries, counted
            FROM links WHERE id = ANY(:ids::uuid[]) ORDER BY id FOR UPDATE
            """;

    // Every accepted change of a batch in one statement: the links, their requests' created_links (only for links
    // not counted before, so a repeated completion never counts twice) and the server's active_tasks. Request rows
    // are locked in id order first for the same reason as the links.
    private static final String APPLY =
            """
            WITH u AS (
                SELECT * FROM unnest(:ids::uuid[], :statuses::text[], :profiles::text[], :posts::text[],
                                     :errors::text[], :notes::text[], :indexed::boolean[], :started::boolean[],
                                     :completed::boolean[], :retried::boolean[], :counts::boolean[], :deltas::int[])
                    AS u(id, status, link_profile, link_post, error_message, note, is_indexed, set_started,
                         set_completed, retried, count_it, active_delta)
            ), changed AS (
                UPDATE links l SET
                    status = u.status,
                    link_profile = coalesce(u.link_profile, l.link_profile),
                    link_post = coalesce(u.link_post, l.link_post),
                    error_message = coalesce(u.error_message, l.error_message),
                    note = coalesce(u.note, l.note),
                    is_indexed = coalesce(u.is_indexed, l.is_indexed),
                    started_at = CASE WHEN u.set_started THEN :now::timestamptz
                                      WHEN u.retried THEN NULL ELSE l.started_at END,
                    completed_at = CASE WHEN u.set_completed THEN :now::timestamptz
                                        WHEN u.retried THEN NULL ELSE l.completed_at END,
                    retry_count = l.retry_count + CASE WHEN u.retried THEN 1 ELSE 0 END,
                    -- a retried link is pending again for any server, as the dispatcher's own retries leave it
                    server_id = CASE WHEN u.retried THEN NULL ELSE l.server_id END,
                    counted = l.counted OR u.count_it,
                    updated_at = :now::timestamptz
                FROM u WHERE l.id = u.id
                RETURNING l.id, l.request_id, l.server_id, l.status, u.count_it, u.active_delta
            ), counts AS (
                SELECT request_id, count(*) AS n FROM changed WHERE count_it GROUP BY request_id
            ), locked_requests AS (
                SELECT r.id FROM requests r WHERE r.id IN (SELECT request_id FROM counts) ORDER BY r.id FOR UPDATE
            ), counted_requests AS (
                UPDATE requests r SET created_links = r.created_links + c.n, updated_at = :now::timestamptz
                FROM counts c JOIN locked_requests k ON k.id = c.request_id
                WHERE r.id = c.request_id
            ), delta AS (
                SELECT coalesce(sum(active_delta), 0) AS d FROM changed
            ), counted_server AS (
                UPDATE servers s SET active_tasks = greatest(0, s.active_tasks + delta.d)
                FROM delta WHERE s.id = :server AND delta.d <> 0
            )
            SELECT id, request_id, server_id, status FROM changed
            """;

    private final DatabaseClient db;

    TaskRepository(DatabaseClient db) {
        this.db = db;
    }

    Flux<Task> page(UUID server, TaskQuery query) {
        var spec = db.sql(PAGE.formatted(filters(query)))
                .bind("server", server)
                .bind("statuses", query.statuses().toArray(String[]::new))
                .bind("limit", query.limit() + 1)
                .bind("offset", query.offset());
        spec = query.serviceType() == null ? spec : spec.bind("type", query.serviceType());
        spec = query.after() == null ? spec : spec.bind("after", query.after());
        return spec.map(TaskRepository::task).all();
    }

    Mono<Long> count(UUID server, TaskQuery query) {
        var spec = db.sql(COUNT.formatted(query.serviceType() == null ? "" : "AND l.service_type = :type"))
                .bind("server", server)
                .bind("statuses", query.statuses().toArray(String[]::new));
        spec = query.serviceType() == null ? spec : spec.bind("type", query.serviceType());
        return spec.map(row -> row.get("total", Long.class)).one();
    }

    Flux<LockedLink> lock(Collection<UUID> ids) {
        return db.sql(LOCK)
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> new LockedLink(
                        row.get("id", UUID.class),
                        row.get("request_id", UUID.class),
                        row.get("server_id", UUID.class),
                        TaskStatus.parse(row.get("status", String.class)).orElseThrow(),
                        row.get("retry_count", Integer.class),
                        row.get("max_retries", Integer.class),
                        Boolean.TRUE.equals(row.get("counted", Boolean.class))))
                .all();
    }

    Flux<ChangedLink> apply(UUID server, List<LinkChange> changes, Instant now) {
        int n = changes.size();
        var ids = new UUID[n];
        var statuses = new String[n];
        var profiles = new String[n];
        var posts = new String[n];
        var errors = new String[n];
        var notes = new String[n];
        var indexed = new Boolean[n];
        var started = new Boolean[n];
        var completed = new Boolean[n];
        var retried = new Boolean[n];
        var counts = new Boolean[n];
        var deltas = new Integer[n];
        for (int i = 0; i < n; i++) {
            var change = changes.get(i);
            var update = change.update();
            ids[i] = change.id();
            statuses[i] = change.to().wire();
            profiles[i] = update.linkProfile();
            posts[i] = update.linkPost();
            errors[i] = update.errorMessage();
            notes[i] = update.note();
            indexed[i] = update.isIndexed();
            started[i] = change.setsStartedAt();
            completed[i] = change.setsCompletedAt();
            retried[i] = change.isRetry();
            counts[i] = change.countIt();
            deltas[i] = change.activeDelta();
        }
        return db.sql(APPLY)
                .bind("ids", ids)
                .bind("statuses", statuses)
                .bind("profiles", profiles)
                .bind("posts", posts)
                .bind("errors", errors)
                .bind("notes", notes)
                .bind("indexed", indexed)
                .bind("started", started)
                .bind("completed", completed)
                .bind("retried", retried)
                .bind("counts", counts)
                .bind("deltas", deltas)
                .bind("now", now)
                .bind("server", server)
                .map(row -> new ChangedLink(
                        row.get("id", UUID.class),
                        row.get("request_id", UUID.class),
                        row.get("server_id", UUID.class),
                        row.get("status", String.class)))
                .all();
    }

    private static String filters(TaskQuery query) {
        var sql = new StringBuilder();
        if (query.serviceType() != null) {
            sql.append("AND l.service_type = :type ");
        }
        if (query.after() != null) {
            sql.append("AND l.id > :after");
        }
        return sql.toString();
    }

    private static Task task(Readable row) {
        return new Task(
                row.get("id", UUID.class),
                row.get("request_id", UUID.class),
                row.get("service_type", String.class),
                row.get("site_id", UUID.class),
                row.get("site_name", String.class),
                row.get("email", String.class),
                row.get("username", String.class),
                row.get("password", String.class),
                row.get("about", String.class),
                row.get("link_profile", String.class),
                row.get("link_post", String.class),
                row.get("status", String.class),
                row.get("retry_count", Integer.class),
                row.get("max_retries", Integer.class),
                row.get("details", String.class),
                row.get("started_at", Instant.class),
                row.get("created_at", Instant.class),
                row.get("request_name", String.class),
                row.get("request_website", String.class),
                row.get("type_request", String.class),
                price(row.get("auction_price", BigDecimal.class)),
                row.get("config", String.class));
    }

    private static Number price(BigDecimal value) {
        if (value == null) {
            return null;
        }
        var plain = value.stripTrailingZeros();
        return plain.scale() <= 0 ? (Number) plain.longValueExact() : plain;
    }
}
