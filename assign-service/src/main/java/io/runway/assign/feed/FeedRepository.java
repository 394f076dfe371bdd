package io.runway.assign.feed;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** What the admin feed reads: servers with their last heartbeat, requests with their link counts, pending links. */
@Repository
class FeedRepository {

    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {};

    private final DatabaseClient db;
    private final JsonMapper json;

    FeedRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Every server by name, or only {@code ids} when given. */
    Flux<ServerRow> servers(Collection<UUID> ids, int limit) {
        return db.sql(
                        """
                        SELECT s.id, s.name, s.service, s.status, s.max_threads, s.active_tasks,
                               h.active_threads, h.cpu_usage, h.ram_usage, h.disk_usage, h.last_health_check
                        FROM servers s LEFT JOIN server_health h ON h.server_id = s.id
                        WHERE (:ids::uuid[] IS NULL OR s.id = ANY (:ids))
                        ORDER BY s.name
                        LIMIT :limit
                        """)
                .bind("ids", Parameter.fromOrEmpty(ids == null ? null : ids.toArray(UUID[]::new), UUID[].class))
                .bind("limit", limit)
                .map(FeedRepository::server)
                .all();
    }

    /**
     * The newest requests, or only {@code ids} when given, with their links by status from the trigger-kept counters
     * and their running/connecting links started before {@code staleBefore} (links_request_status_idx).
     */
    Flux<CampaignRow> campaigns(Collection<UUID> ids, Instant staleBefore, int limit) {
        return db.sql(
                        """
                        SELECT r.id, r.name, r.service_type, r.status, r.target, r.created_links, r.priority,
                               (SELECT COALESCE(jsonb_object_agg(c.status, c.count), '{}'::jsonb)::text
                                  FROM request_link_counts c WHERE c.request_id = r.id AND c.count > 0) AS counts,
                               (SELECT count(*) FROM links l
                                 WHERE l.request_id = r.id AND l.status IN ('running', 'connecting')
                                   AND l.started_at < :staleBefore) AS stale
                        FROM requests r
                        WHERE (:ids::uuid[] IS NULL OR r.id = ANY (:ids))
                        ORDER BY r.id DESC
                        LIMIT :limit
                        """)
                .bind("ids", Parameter.fromOrEmpty(ids == null ? null : ids.toArray(UUID[]::new), UUID[].class))
                .bind("staleBefore", staleBefore)
                .bind("limit", limit)
                .map(this::campaign)
                .all();
    }

    /** Pending links of every request, from the counters. */
    Mono<Long> pendingLinks() {
        return db.sql(
                        "SELECT COALESCE(sum(count), 0)::bigint AS pending FROM request_link_counts WHERE status = 'pending'")
                .map(row -> row.get("pending", Long.class))
                .one();
    }

    private static ServerRow server(Readable row) {
        return new ServerRow(
                row.get("id", UUID.class),
                row.get("name", String.class),
                row.get("service", String.class),
                row.get("status", String.class),
                row.get("max_threads", Integer.class),
                row.get("active_tasks", Integer.class),
                row.get("active_threads", Integer.class),
                row.get("cpu_usage", Float.class),
                row.get("ram_usage", Float.class),
                row.get("disk_usage", Float.class),
                row.get("last_health_check", Instant.class));
    }

    private CampaignRow campaign(Readable row) {
        Map<String, Long> counts = json.readValue(row.get("counts", String.class), COUNTS);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        int target = row.get("target", Integer.class);
        int created = row.get("created_links", Integer.class);
        return new CampaignRow(
                row.get("id", UUID.class),
                row.get("name", String.class),
                row.get("service_type", String.class),
                row.get("status", String.class),
                target,
                created,
                row.get("priority", Integer.class),
                counts,
                total,
                CampaignRow.progress(target, created, counts, total),
                0,
                row.get("stale", Long.class));
    }
}
