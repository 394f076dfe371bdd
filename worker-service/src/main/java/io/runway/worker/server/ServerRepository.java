package io.runway.worker.server;

import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
class ServerRepository {

    private static final String FIND =
            """
            SELECT id, name, service, status FROM servers WHERE id = :id
            """;

    private final DatabaseClient db;

    ServerRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<ServerRow> find(UUID id) {
        return db.sql(FIND)
                .bind("id", id)
                .map((row, meta) -> new ServerRow(
                        row.get("id", UUID.class),
                        row.get("name", String.class),
                        row.get("service", String.class),
                        row.get("status", String.class)))
                .one();
    }

    record ServerRow(UUID id, String name, String service, String status) {}
}
