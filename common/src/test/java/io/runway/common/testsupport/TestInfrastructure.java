package io.runway.common.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Finds the PostgreSQL and Redis servers tests run against, once per JVM, in this order: {@code TEST_PG_URL} /
 * {@code TEST_REDIS_URL}; Testcontainers when a Docker engine answers; the local servers on 127.0.0.1.
 */
public final class TestInfrastructure {

    /** Admin connection to a PostgreSQL server on which tests may create and drop databases. */
    public record Postgres(String host, int port, String user, String password) {

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String r2dbcUrl(String database) {
            return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** A Redis server; tests isolate themselves on it by key prefix. */
    public record Redis(String host, int port) {}

    private static Postgres postgres;
    private static Redis redis;

    private TestInfrastructure() {}

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = resolvePostgres();
        }
        return postgres;
    }

    public static synchronized Redis redis() {
        if (redis == null) {
            redis = resolveRedis();
        }
        return redis;
    }

    private static Postgres resolvePostgres() {
        var url = System.getenv("TEST_PG_URL");
        if (url != null && !url.isBlank()) {
            return parsePostgresUrl(url);
        }
        if (dockerAvailable()) {
            var container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            return new Postgres(
                    container.getHost(),
                    container.getMappedPort(5432),
                    container.getUsername(),
                    container.getPassword());
        }
        requireListening(
                "PostgreSQL",
                "127.0.0.1",
                5432,
                "TEST_PG_URL=postgresql://user:password@host:port",
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
        return new Postgres("127.0.0.1", 5432, "postgres", "");
    }

    private static Redis resolveRedis() {
        var url = System.getenv("TEST_REDIS_URL");
        if (url != null && !url.isBlank()) {
            var uri = URI.create(url);
            return new Redis(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379);
        }
        if (dockerAvailable()) {
            var container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            container.start();
            return new Redis(container.getHost(), container.getMappedPort(6379));
        }
        requireListening(
                "Redis",
                "127.0.0.1",
                6379,
                "TEST_REDIS_URL=redis://host:port",
                "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no");
        return new Redis("127.0.0.1", 6379);
    }

    static Postgres parsePostgresUrl(String url) {
        var uri = URI.create(url.replaceFirst("^jdbc:", ""));
        var user = "postgres";
        var password = "";
        if (uri.getUserInfo() != null) {
            var parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        return new Postgres(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, user, password);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void requireListening(String what, String host, int port, String variable, String startCommand) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
        } catch (IOException e) {
            throw new IllegalStateException(what + " for tests was not found: no " + variable.split("=")[0]
                    + " is set, no Docker engine answers, and nothing listens on " + host + ":" + port
                    + ". Run `./dev test` (it starts the local servers), or set " + variable
                    + ", or start it with: " + startCommand);
        }
    }
}
