package io.runway.gateway;

import io.runway.common.testsupport.TestJwts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** Test data for gateway contexts: the LIKEPION schema in the class's database, servers with keys, signed JWTs. */
final class GatewayFixtures {

    static final String JWT_SECRET = "test-jwt-secret-0123456789abcdef-0123456789";
    static final String ADMIN_KEY = "test-admin-key-0123456789";

    private final String jdbcUrl;
    private final String user;
    private final String password;

    private GatewayFixtures(Environment env) {
        this.jdbcUrl = "jdbc:postgresql://" + env.getProperty("db.host") + ":" + env.getProperty("db.port") + "/"
                + env.getProperty("db.name");
        this.user = env.getProperty("db.username");
        this.password = env.getProperty("db.password", "");
    }

    /** Applies the LIKEPION migrations to the context's fresh database (idempotent). */
    static GatewayFixtures of(Environment env) {
        var fixtures = new GatewayFixtures(env);
        Flyway.configure()
                .dataSource(fixtures.jdbcUrl, fixtures.user, fixtures.password)
                .locations("classpath:db/likepion")
                .load()
                .migrate();
        return fixtures;
    }

    /** Registers a server and returns its id; the raw key is what a caller sends in X-API-Key. */
    String server(String rawKey, String service, String status) {
        var id = UUID.randomUUID().toString();
        execute("INSERT INTO servers (id, name, service, status, api_key_hash) VALUES ('" + id + "', 'srv-" + id
                + "', '" + service + "', '" + status + "', '" + sha256(rawKey) + "')");
        return id;
    }

    void setStatus(String serverId, String status) {
        execute("UPDATE servers SET status = '" + status + "' WHERE id = '" + serverId + "'");
    }

    private void execute(String sql) {
        try (var connection = DriverManager.getConnection(jdbcUrl, user, password);
                var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String raw) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String userJwt(String userId, String tenant) {
        return jwt(JWT_SECRET, userId, tenant, List.of(), Instant.now().plus(Duration.ofHours(1)));
    }

    /** The events of a run event stream a user of a tenant opens through the gateway (answered 200). */
    static Flux<String> userEventStream(WebTestClient client, String path, String userId, String tenant) {
        return eventStream(client, path, h -> h.setBearerAuth(userJwt(userId, tenant)));
    }

    /** The events of an event stream opened through the gateway with these credentials (answered 200). */
    static Flux<String> eventStream(WebTestClient client, String path, Consumer<HttpHeaders> auth) {
        return client.get()
                .uri(path)
                .headers(auth)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
    }

    static String adminJwt() {
        return jwt(JWT_SECRET, "op-1", "ops", List.of("admin"), Instant.now().plus(Duration.ofHours(1)));
    }

    static String jwt(String secret, String subject, String tenant, List<String> roles, Instant expiry) {
        return TestJwts.hs256(secret, subject, tenant, roles, expiry.minus(Duration.ofHours(2)), expiry);
    }
}
