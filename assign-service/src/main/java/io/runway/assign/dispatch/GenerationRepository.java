package io.runway.assign.dispatch;

import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The statements that generate links for running requests below their target. */
@Repository
class GenerationRepository {

    private static final String LIVE_LINKS =
            """
            (SELECT COALESCE(sum(c.count), 0) FROM request_link_counts c
             WHERE c.request_id = r.id AND c.status <> 'canceled')
            """;

    private final DatabaseClient db;

    GenerationRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Running requests with fewer live (not canceled) links than their target, best priority first. */
    Flux<UUID> requestsBelowTarget(int limit) {
        return db.sql("SELECT r.id FROM requests r WHERE r.status = 'running' AND r.target > " + LIVE_LINKS
                        + " ORDER BY r.priority DESC, r.id LIMIT :limit")
                .bind("limit", limit)
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    /** Locks one request (skipping it when another replica has it) and says how many links it is missing. */
    Mono<Shortfall> lockShortfall(UUID id) {
        return db.sql("SELECT id FROM requests WHERE id = :id AND status = 'running' FOR UPDATE SKIP LOCKED")
                .bind("id", id)
                .map(row -> row.get("id", UUID.class))
                .one()
                .flatMap(locked -> db.sql("SELECT r.service_type, r.group_id, r.target - " + LIVE_LINKS
                                + " AS missing FROM requests r WHERE r.id = :id")
                        .bind("id", id)
                        .map(row -> new Shortfall(
                                id,
                                row.get("service_type", String.class),
                                row.get("group_id", UUID.class),
                                row.get("missing", Long.class)))
                        .one());
    }

    /**
     * Site/account pairs not used by the request yet, spread across accounts (each account's first site, then each
     * one's second…), leaving out accounts that have no post left today. A request without a group gets site-only links.
     */
    Flux<Map<String, Object>> freshPairs(Shortfall request, int maxPostsPerDay, LocalDate today, int limit) {
        return db.sql(
                        """
                        SELECT s.id AS site_id, s.name AS site_name, a.id AS account_id, a.email, a.username,
                               a.password, a.about
                        FROM sites s
                        CROSS JOIN (SELECT id, email, username, password, about FROM accounts
                                    WHERE group_id = :groupId AND status = 'active'
                                    UNION ALL
                                    SELECT NULL::uuid, NULL, NULL, NULL, NULL WHERE :groupId::uuid IS NULL) a
                        WHERE s.type = :type AND s.active
                          AND NOT EXISTS (SELECT 1 FROM links l WHERE l.request_id = :requestId
                                          AND l.site_id = s.id AND l.account_id IS NOT DISTINCT FROM a.id)
                          AND (a.id IS NULL OR NOT EXISTS (SELECT 1 FROM account_usage u WHERE u.account_id = a.id
                                          AND u.day = :today AND u.posts >= :maxPosts))
                        ORDER BY row_number() OVER (PARTITION BY a.id ORDER BY s.id), s.id, a.id
                        LIMIT :limit
                        """)
                .bind("groupId", Parameter.fromOrEmpty(request.groupId(), UUID.class))
                .bind("type", request.serviceType())
                .bind("requestId", request.requestId())
                .bind("today", today)
                .bind("maxPosts", maxPostsPerDay)
                .bind("limit", limit)
                .map(row -> {
                    var pair = new LinkedHashMap<String, Object>();
                    pair.put("site_id", string(row.get("site_id", UUID.class)));
                    pair.put("site_name", row.get("site_name", String.class));
                    pair.put("account_id", string(row.get("account_id", UUID.class)));
                    pair.put("email", row.get("email", String.class));
                    pair.put("username", row.get("username", String.class));
                    pair.put("password", row.get("password", String.class));
                    pair.put("about", row.get("about", String.class));
                    return (Map<String, Object>) pair;
                })
                .all();
    }

    Flux<UUID> insert(UUID requestId, String serviceType, String document, Instant now) {
        return db.sql(
                        """
                        INSERT INTO links (id, request_id, service_type, site_id, site_name, account_id, email,
                                           username, password, about, created_at, updated_at)
                        SELECT x.id, :requestId, :type, x.site_id, x.site_name, x.account_id, x.email, x.username,
                               x.password, x.about, :now, :now
                        FROM jsonb_to_recordset(:doc::jsonb) AS x(id uuid, site_id uuid, site_name text,
                             account_id uuid, email text, username text, password text, about text)
                        RETURNING id
                        """)
                .bind("requestId", requestId)
                .bind("type", serviceType)
                .bind("doc", Json.of(document))
                .bind("now", now)
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    private static String string(UUID id) {
        return id == null ? null : id.toString();
    }

    /** A locked running request and how many links it lacks. */
    record Shortfall(UUID requestId, String serviceType, UUID groupId, long missing) {}
}
