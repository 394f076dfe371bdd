package io.runway.common.testsupport;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/** A throwaway PostgreSQL database owned by one test class: created fresh, dropped afterwards. */
public final class TestDatabase implements AutoCloseable {

    private final TestInfrastructure.Postgres server;
    private final String name;

    private TestDatabase(TestInfrastructure.Postgres server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Creates a database whose name starts with the (sanitised) hint, so a leftover one says who made it. */
    public static TestDatabase create(String hint) {
        var server = TestInfrastructure.postgres();
        var clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        var name = "t_" + clean.substring(0, Math.min(clean.length(), 40)) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        execute(server, "CREATE DATABASE " + name);
        return new TestDatabase(server, name);
    }

    /** Applies Flyway migrations from the given locations, e.g. {@code classpath:db/likepion}. */
    public TestDatabase migrate(String... locations) {
        Flyway.configure()
                .dataSource(jdbcUrl(), server.user(), server.password())
                .locations(locations)
                .load()
                .migrate();
        return this;
    }

    public String name() {
        return name;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public String r2dbcUrl() {
        return server.r2dbcUrl(name);
    }

    @Override
    public void close() {
        execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(TestInfrastructure.Postgres server, String sql) {
        try (var connection =
                        DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password());
                var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database statement failed: " + sql, e);
        }
    }
}
