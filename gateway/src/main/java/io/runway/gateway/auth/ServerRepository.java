package io.runway.gateway.auth;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads the LIKEPION {@code servers} table to resolve an API-key hash. */
@Repository
class ServerRepository {

    // Served by the UNIQUE index on api_key_hash.
    private static final String FIND_BY_KEY_HASH =
            """
            SELECT id, service, status, api_key_hash
              FROM servers
             WHERE api_key_hash = :hash
            """;

    private final DatabaseClient db;

    ServerRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<ServerCredential> findByKeyHash(String hash) {
        return db.sql(FIND_BY_KEY_HASH)
                .bind("hash", hash)
                .map(ServerRepository::credential)
                .one();
    }

    private static ServerCredential credential(Readable row) {
        return new ServerCredential(
                row.get("id", java.util.UUID.class).toString(),
                row.get("service", String.class),
                row.get("status", String.class),
                row.get("api_key_hash", String.class));
    }
}
