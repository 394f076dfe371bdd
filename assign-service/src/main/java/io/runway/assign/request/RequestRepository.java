package io.runway.assign.request;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and changes {@code requests}; link counts come from {@code request_link_counts}, kept by triggers. */
@Repository
class RequestRepository {

    private static final String COLUMNS =
            """
            SELECT r.id, r.user_id, r.service_type, r.group_id, r.name, r.website, r.auction_price, r.target,
                   r.created_links, r.status, r.type_request, r.priority, r.config::text AS config,
                   r.data::text AS data, r.folder_urls::text AS folder_urls, r.started_at, r.completed_at,
                   r.created_at, r.updated_at
            FROM requests r
            """;

    private final DatabaseClient db;

    RequestRepository(DatabaseClient db) {
        this.db = db;
    }

    Flux<RequestView> list(String[] statuses, String serviceType, String typeRequest, int limit) {
        return db.sql(
                        COLUMNS
                                + """
                        WHERE (cardinality(:statuses::text[]) = 0 OR r.status = ANY (:statuses))
                          AND (:serviceType::text IS NULL OR r.service_type = :serviceType)
                          AND (:typeRequest::text IS NULL OR r.type_request = :typeRequest)
                        ORDER BY r.priority DESC, r.created_at, r.id
                        LIMIT :limit
                        """)
                .bind("statuses", statuses)
                .bind("serviceType", Parameter.fromOrEmpty(serviceType, String.class))
                .bind("typeRequest", Parameter.fromOrEmpty(typeRequest, String.class))
                .bind("limit", limit)
                .map(RequestRepository::map)
                .all();
    }

    /** Requests with at least one link and none in the given (active) statuses. */
    Flux<RequestView> completable(String status, String serviceType, String[] activeStatuses, int limit) {
        return db.sql(
                        COLUMNS
                                + """
                        WHERE (:status::text IS NULL OR r.status = :status)
                          AND (:serviceType::text IS NULL OR r.service_type = :serviceType)
                          AND EXISTS (SELECT 1 FROM request_link_counts c WHERE c.request_id = r.id AND c.count > 0)
                          AND NOT EXISTS (SELECT 1 FROM request_link_counts c
                                          WHERE c.request_id = r.id AND c.count > 0 AND c.status = ANY (:active))
                        ORDER BY r.priority DESC, r.created_at, r.id
                        LIMIT :limit
                        """)
                .bind("status", Parameter.fromOrEmpty(status, String.class))
                .bind("serviceType", Parameter.fromOrEmpty(serviceType, String.class))
                .bind("active", activeStatuses)
                .bind("limit", limit)
                .map(RequestRepository::map)
                .all();
    }

    Mono<RequestView> find(UUID id) {
        return db.sql(COLUMNS + " WHERE r.id = :id")
                .bind("id", id)
                .map(RequestRepository::map)
                .one();
    }

    /** Locks the request and returns its status. */
    Mono<String> lockStatus(UUID id) {
        return db.sql("SELECT status FROM requests WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map(row -> row.get("status", String.class))
                .one();
    }

    Flux<StatusCount> counts(UUID id) {
        return db.sql(
                        """
                        SELECT status, count FROM request_link_counts
                        WHERE request_id = :id AND count > 0 ORDER BY status
                        """)
                .bind("id", id)
                .map(row -> new StatusCount(row.get("status", String.class), row.get("count", Long.class)))
                .all();
    }

    Mono<long[]> profileAndPostCounts(UUID id) {
        return db.sql(
                        """
                        SELECT count(*) FILTER (WHERE link_profile <> '') AS profiles,
                               count(*) FILTER (WHERE link_post <> '') AS posts
                        FROM links WHERE request_id = :id
                        """)
                .bind("id", id)
                .map(row -> new long[] {row.get("profiles", Long.class), row.get("posts", Long.class)})
                .one();
    }

    Mono<Long> updateStatus(UUID id, String status, Instant now) {
        return db.sql(
                        """
                        -- on the right-hand side `status` is the old one: a finished request sent back to running
                        -- starts again (new started_at), and only a finished request has a completed_at
                        UPDATE requests SET status = :status, updated_at = :now,
                            started_at = CASE WHEN :status = 'running' AND status IN ('completed', 'failed') THEN :now
                                              WHEN :status = 'running' THEN COALESCE(started_at, :now)
                                              ELSE started_at END,
                            completed_at = CASE WHEN :status IN ('completed', 'failed') THEN :now END
                        WHERE id = :id
                        """)
                .bind("id", id)
                .bind("status", status)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    Flux<Changed> cancelLinksWithoutProfile(UUID id, Instant now) {
        return db.sql(
                        """
                        UPDATE links l SET status = 'canceled', updated_at = :now,
                            completed_at = COALESCE(l.completed_at, :now)
                        FROM (SELECT id, status AS old_status FROM links
                              WHERE request_id = :id AND link_profile = '' AND status <> 'canceled' FOR UPDATE) o
                        WHERE l.id = o.id
                        RETURNING l.id, l.server_id, o.old_status
                        """)
                .bind("id", id)
                .bind("now", now)
                .map(row -> new Changed(
                        row.get("id", UUID.class),
                        row.get("server_id", UUID.class),
                        row.get("old_status", String.class)))
                .all();
    }

    Flux<Changed> connectCompletedLinks(UUID id, Instant now) {
        return db.sql(
                        """
                        UPDATE links SET status = 'connect', updated_at = :now
                        WHERE request_id = :id AND status = 'completed'
                        RETURNING id, server_id, 'completed' AS old_status
                        """)
                .bind("id", id)
                .bind("now", now)
                .map(row -> new Changed(
                        row.get("id", UUID.class),
                        row.get("server_id", UUID.class),
                        row.get("old_status", String.class)))
                .all();
    }

    Mono<Void> insert(NewRequest request, Instant now) {
        return db.sql(
                        """
                        INSERT INTO requests (id, user_id, service_type, group_id, name, website, auction_price,
                                              target, status, type_request, priority, config, data, folder_urls,
                                              started_at, created_at, updated_at)
                        VALUES (:id, :userId, :serviceType, :groupId, :name, :website, :auctionPrice, :target,
                                :status, :typeRequest, :priority, :config, :data, :folderUrls,
                                CASE WHEN :status = 'running' THEN :now::timestamptz END, :now, :now)
                        """)
                .bind("id", request.id())
                .bind("userId", Parameter.fromOrEmpty(request.userId(), UUID.class))
                .bind("serviceType", request.serviceType())
                .bind("groupId", Parameter.fromOrEmpty(request.groupId(), UUID.class))
                .bind("name", request.name())
                .bind("website", Parameter.fromOrEmpty(request.website(), String.class))
                .bind("auctionPrice", request.auctionPrice())
                .bind("target", request.target())
                .bind("status", request.status())
                .bind("typeRequest", request.typeRequest())
                .bind("priority", request.priority())
                .bind("config", json(request.config()))
                .bind("data", json(request.data()))
                .bind("folderUrls", json(request.folderUrls()))
                .bind("now", now)
                .then();
    }

    Mono<Long> update(UUID id, RequestChange change, Instant now) {
        return db.sql(
                        """
                        UPDATE requests SET
                            target = COALESCE(:target, target),
                            priority = COALESCE(:priority, priority),
                            auction_price = COALESCE(:auctionPrice, auction_price),
                            website = COALESCE(:website, website),
                            config = COALESCE(:config, config),
                            updated_at = :now
                        WHERE id = :id
                        """)
                .bind("id", id)
                .bind("target", Parameter.fromOrEmpty(change.target(), Integer.class))
                .bind("priority", Parameter.fromOrEmpty(change.priority(), Integer.class))
                .bind("auctionPrice", Parameter.fromOrEmpty(change.auctionPrice(), BigDecimal.class))
                .bind("website", Parameter.fromOrEmpty(change.website(), String.class))
                .bind("config", json(change.config()))
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    private static Parameter json(String value) {
        return Parameter.fromOrEmpty(value == null ? null : Json.of(value), Json.class);
    }

    private static RequestView map(Readable row) {
        return new RequestView(
                row.get("id", UUID.class),
                row.get("user_id", UUID.class),
                row.get("service_type", String.class),
                row.get("group_id", UUID.class),
                row.get("name", String.class),
                row.get("website", String.class),
                row.get("auction_price", BigDecimal.class),
                row.get("target", Integer.class),
                row.get("created_links", Integer.class),
                row.get("status", String.class),
                row.get("type_request", String.class),
                row.get("priority", Integer.class),
                row.get("config", String.class),
                row.get("data", String.class),
                row.get("folder_urls", String.class),
                row.get("started_at", Instant.class),
                row.get("completed_at", Instant.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }

    /** Links of a request in one status. */
    record StatusCount(String status, long count) {}

    /** A link changed by the connect phase, with the status it had before. */
    record Changed(UUID id, UUID serverId, String oldStatus) {}
}
