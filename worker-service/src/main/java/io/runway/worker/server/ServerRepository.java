package io.runway.worker.server;

import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class ServerRepository {

    private static final String FIND =
            """
            SELECT id, name, service, status FROM servers WHERE id = :id
            """;

    private static final String ALL = """
            SELECT id, name, service, status FROM servers
            """;

    private final DatabaseClient db;

    ServerRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<ServerRow> find(UUID id) {
        return db.sql(FIND).bind("id", id).map(ServerRepository::server).one();
    }

    Flux<ServerRow> all() {
        return db.sql(ALL).map(ServerRepository::server).all();
    }

    private static ServerRow server(io.r2dbc.spi.Readable row) {
        return new ServerRow(
                row.get("id", UUID.class),
                row.get("name", String.class),
                row.get("service", String.class),
                row.get("status", String.class));
    }

    record ServerRow(UUID id, String name, String service, String status) {}
}
