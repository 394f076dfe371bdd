package io.runway.assign.dispatch;

import io.runway.assign.account.AccountLimits;
import io.runway.assign.event.LinkChange;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The statements of one assignment transaction. Lock order, shared by every writer in this service: whoever holds a
 * server row only takes link rows with SKIP LOCKED, so nothing that waits for a server can block its holder.
 */
@Repository
class AssignmentRepository {

    private final DatabaseClient db;

    AssignmentRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Tool servers able to take links of this type now, best priority first, read without locking. */
    Flux<Slots> eligibleServers(String serviceType, Instant aliveSince, Thresholds thresholds, int limit) {
        return db.sql(
                        """
                        SELECT s.id, s.max_threads - s.active_tasks AS free
                        FROM servers s JOIN server_health h ON h.server_id = s.id
                        WHERE s.service = 'tool' AND s.status IN ('online', 'active')
                          AND s.active_tasks < s.max_threads
                          AND (cardinality(s.service_types) = 0 OR :type = ANY (s.service_types))
                          AND h.last_health_check >= :aliveSince
                          AND COALESCE(h.cpu_usage, 0) < :cpu AND COALESCE(h.ram_usage, 0) < :ram
                          AND COALESCE(h.disk_usage, 0) < :disk
                        ORDER BY s.priority DESC, s.id
                        LIMIT :limit
                        """)
                .bind("type", serviceType)
                .bind("aliveSince", aliveSince)
                .bind("cpu", thresholds.cpu())
                .bind("ram", thresholds.ram())
                .bind("disk", thresholds.disk())
                .bind("limit", limit)
                .map(row -> new Slots(row.get("id", UUID.class), row.get("free", Integer.class)))
                .all();
    }

    /**
     * Locks the chosen servers, skipping those another replica holds, and reads their free slots as of the lock (the
     * chosen ones were read without a lock, so a slot taken meanwhile is seen here).
     */
    Flux<Slots> lockServers(UUID[] servers) {
        return db.sql(
                        """
                        SELECT id, max_threads - active_tasks AS free FROM servers
                        WHERE id = ANY (:servers) AND active_tasks < max_threads
                        ORDER BY priority DESC, id
                        FOR UPDATE SKIP LOCKED
                        """)
                .bind("servers", servers)
                .map(row -> new Slots(row.get("id", UUID.class), row.get("free", Integer.class)))
                .all();
    }

    /** Running requests of this type with pending links, from the trigger-kept counters (no link scan), by id. */
    Flux<Waiting> waitingRequests(String serviceType) {
        return db.sql(
                        """
                        SELECT c.request_id, c.count
                        FROM request_link_counts c JOIN requests r ON r.id = c.request_id
                        WHERE c.status = 'pending' AND c.count > 0 AND r.status = 'running'
                          AND r.service_type = :type
                        ORDER BY c.request_id
                        """)
                .bind("type", serviceType)
                .map(row -> new Waiting(row.get("request_id", UUID.class), row.get("count", Long.class)))
                .all();
    }

    /**
     * Claims up to each request's quota of its oldest due pending links, skipping links locked by another replica
     * and links whose account is known to be out of posts (the guarded upsert afterwards has the final word).
     */
    Flux<Candidate> claim(
            String serviceType, UUID[] requests, Integer[] quotas, AccountLimits.Limits limits, Instant now) {
        return db.sql(
                        """
                        SELECT p.id, p.request_id, p.account_id, p.due_since
                        FROM unnest(:requests::uuid[], :quotas::int[]) AS q(request_id, n)
                        CROSS JOIN LATERAL (
                            -- a pending link's updated_at is when it became pending; a retry is due at next_attempt_at
                            SELECT l.id, l.request_id, l.account_id,
                                   GREATEST(l.updated_at, COALESCE(l.next_attempt_at, l.updated_at)) AS due_since
                            FROM links l
                            WHERE l.request_id = q.request_id AND l.service_type = :type AND l.status = 'pending'
                              AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= :now)
                              AND (l.account_id IS NULL OR (:maxPosts > 0 AND NOT EXISTS (
                                    SELECT 1 FROM account_usage u WHERE u.account_id = l.account_id
                                      AND ((u.day = :today AND u.posts >= :maxPosts)
                                           OR u.last_post_at > :cooldownSince))))
                            ORDER BY l.id
                            LIMIT q.n
                            FOR UPDATE OF l SKIP LOCKED) p
                        """)
                .bind("requests", requests)
                .bind("quotas", quotas)
                .bind("type", serviceType)
                .bind("now", now)
                .bind("maxPosts", limits.maxPostsPerDay())
                .bind("today", AccountLimits.today(now))
                .bind("cooldownSince", now.minus(limits.cooldown()))
                .map(row -> new Candidate(
                        row.get("id", UUID.class),
                        row.get("request_id", UUID.class),
                        row.get("account_id", UUID.class),
                        row.get("due_since", Instant.class)))
                .all();
    }

    /** Hands the claimed links to their servers; every hand-out bumps the link's fencing attempt. */
    Flux<LinkChange> assign(UUID[] links, UUID[] servers, Instant now) {
        return db.sql(
                        """
                        UPDATE links l SET status = 'queued', server_id = a.server_id, attempt = l.attempt + 1,
                            assigned_at = :now, started_at = NULL, completed_at = NULL, next_attempt_at = NULL,
                            updated_at = :now
                        FROM unnest(:links::uuid[], :servers::uuid[]) AS a(id, server_id)
                        WHERE l.id = a.id AND l.status = 'pending'
                        RETURNING l.id, l.request_id, l.server_id
                        """)
                .bind("links", links)
                .bind("servers", servers)
                .bind("now", now)
                .map(row -> new LinkChange(
                        row.get("id", UUID.class),
                        row.get("request_id", UUID.class),
                        row.get("server_id", UUID.class),
                        "queued"))
                .all();
    }

    /** Adds the links to the servers' counters; a server that would go over its slots is not changed. */
    Mono<Long> addActiveTasks(UUID[] servers, Integer[] counts, Instant now) {
        return db.sql(
                        """
                        UPDATE servers s SET active_tasks = s.active_tasks + d.n, updated_at = :now
                        FROM unnest(:servers::uuid[], :counts::int[]) AS d(id, n)
                        WHERE s.id = d.id AND s.active_tasks + d.n <= s.max_threads
                        """)
                .bind("servers", servers)
                .bind("counts", counts)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    /** Free slots of one locked server. */
    record Slots(UUID serverId, int free) {}

    /** A running request and how many pending links it has. */
    record Waiting(UUID requestId, long pending) {}

    /** A claimed pending link. */
    record Candidate(UUID linkId, UUID requestId, UUID accountId, Instant dueSince) {}

    /** Resource thresholds above which a server gets no new links. */
    record Thresholds(double cpu, double ram, double disk) {}
}
