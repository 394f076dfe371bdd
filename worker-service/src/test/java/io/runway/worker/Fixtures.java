package io.runway.worker;

import io.runway.common.id.UuidV7;
import io.runway.common.testsupport.TestTokens;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;

/** Inserts the rows a test needs (servers, requests, links, accounts) and reads them back. */
public final class Fixtures {

    private final DatabaseClient db;

    public Fixtures(DatabaseClient db) {
        this.db = db;
    }

    public UUID server(String name, String service, String status) {
        var id = UuidV7.next();
        db.sql(
                        "INSERT INTO servers (id, name, service, status, api_key_hash) VALUES (:id, :name, :service, :status, :hash)")
                .bind("id", id)
                .bind("name", name + "-" + id.toString().substring(24))
                .bind("service", service)
                .bind("status", status)
                .bind("hash", id.toString())
                .then()
                .block();
        return id;
    }

    String name(UUID server) {
        return db.sql("SELECT name FROM servers WHERE id = :id")
                .bind("id", server)
                .map(row -> row.get("name", String.class))
                .one()
                .block();
    }

    static String token(UUID server, String service) {
        return TestTokens.server(server.toString(), service);
    }

    UUID request(String name) {
        var id = UuidV7.next();
        db.sql(
                        """
                        INSERT INTO requests (id, service_type, name, website, auction_price, target, status, config)
                        VALUES (:id, 'entity', :name, 'https://target.com', 100, 10, 'running',
                                '{"niche":"seo","language":"en"}'::jsonb)
                        """)
                .bind("id", id)
                .bind("name", name)
                .then()
                .block();
        return id;
    }

    UUID account() {
        var id = UuidV7.next();
        db.sql("INSERT INTO accounts (id, group_id, email) VALUES (:id, :group, 'a@example.com')")
                .bind("id", id)
                .bind("group", UuidV7.next())
                .then()
                .block();
        return id;
    }

    UUID link(UUID request, UUID server, String status) {
        return link(request, server, status, "entity", null);
    }

    UUID link(UUID request, UUID server, String status, String serviceType, UUID account) {
        var id = UuidV7.next();
        var spec = db.sql(
                        """
                        INSERT INTO links (id, request_id, service_type, server_id, site_name, account_id, email,
                                           username, password, about, status)
                        VALUES (:id, :request, :type, :server, 'example.com', :account, 'user@gmail.com',
                                'user123', 'pass123', 'Bio text', :status)
                        """)
                .bind("id", id)
                .bind("request", request)
                .bind("type", serviceType)
                .bind("status", status);
        spec = server == null ? spec.bindNull("server", UUID.class) : spec.bind("server", server);
        spec = account == null ? spec.bindNull("account", UUID.class) : spec.bind("account", account);
        spec.then().block();
        return id;
    }

    void setRetries(UUID link, int retryCount, int maxRetries) {
        db.sql("UPDATE links SET retry_count = :r, max_retries = :m WHERE id = :id")
                .bind("r", retryCount)
                .bind("m", maxRetries)
                .bind("id", link)
                .then()
                .block();
    }

    Map<String, Object> row(String table, UUID id) {
        return db.sql("SELECT * FROM " + table + " WHERE id = :id")
                .bind("id", id)
                .fetch()
                .one()
                .block();
    }

    public Map<String, Object> health(UUID server) {
        return db.sql("SELECT * FROM server_health WHERE server_id = :id")
                .bind("id", server)
                .fetch()
                .one()
                .block();
    }

    long count(String sql, UUID id) {
        return db.sql(sql)
                .bind("id", id)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }

    void oldLog(UUID server, Instant at) {
        db.sql(
                        "INSERT INTO worker_logs (id, server_id, level, message, created_at) VALUES (:id, :s, 'INFO', 'old', :at)")
                .bind("id", UuidV7.next())
                .bind("s", server)
                .bind("at", at)
                .then()
                .block();
    }
}
