package io.runway.assign.site;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and changes {@code sites}. */
@Repository
class SiteRepository {

    private static final String COLUMNS =
            "SELECT id, name, type, active, config::text AS config, created_at, updated_at FROM sites ";

    private final DatabaseClient db;

    SiteRepository(DatabaseClient db) {
        this.db = db;
    }

    Flux<SiteView> list(String type, Boolean active, UUID[] ids, int limit) {
        return db.sql(
                        COLUMNS
                                + """
                        WHERE (:type::text IS NULL OR type = :type)
                          AND (:active::boolean IS NULL OR active = :active)
                          AND (cardinality(:ids::uuid[]) = 0 OR id = ANY (:ids))
                        ORDER BY name, id LIMIT :limit
                        """)
                .bind("type", Parameter.fromOrEmpty(type, String.class))
                .bind("active", Parameter.fromOrEmpty(active, Boolean.class))
                .bind("ids", ids)
                .bind("limit", limit)
                .map(SiteRepository::map)
                .all();
    }

    Mono<SiteView> find(UUID id) {
        return db.sql(COLUMNS + "WHERE id = :id")
                .bind("id", id)
                .map(SiteRepository::map)
                .one();
    }

    Mono<Void> insert(UUID id, String name, String type, boolean active, String config, Instant now) {
        return db.sql(
                        """
                        INSERT INTO sites (id, name, type, active, config, created_at, updated_at)
                        VALUES (:id, :name, :type, :active, :config, :now, :now)
                        """)
                .bind("id", id)
                .bind("name", name)
                .bind("type", type)
                .bind("active", active)
                .bind("config", json(config))
                .bind("now", now)
                .then();
    }

    Mono<Long> update(UUID id, String name, String type, Boolean active, String config, Instant now) {
        return db.sql(
                        """
                        UPDATE sites SET name = COALESCE(:name, name), type = COALESCE(:type, type),
                            active = COALESCE(:active, active), config = COALESCE(:config, config), updated_at = :now
                        WHERE id = :id
                        """)
                .bind("id", id)
                .bind("name", Parameter.fromOrEmpty(name, String.class))
                .bind("type", Parameter.fromOrEmpty(type, String.class))
                .bind("active", Parameter.fromOrEmpty(active, Boolean.class))
                .bind("config", json(config))
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    private static Parameter json(String value) {
        return Parameter.fromOrEmpty(value == null ? null : Json.of(value), Json.class);
    }

    private static SiteView map(Readable row) {
        return new SiteView(
                row.get("id", UUID.class),
                row.get("name", String.class),
                row.get("type", String.class),
                row.get("active", Boolean.class),
                row.get("config", String.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }
}
