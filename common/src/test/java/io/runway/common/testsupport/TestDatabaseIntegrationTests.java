package io.runway.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TestDatabaseIntegrationTests {

    @Test
    void eachDatabaseIsFreshAndIsolatedAndDroppedOnClose() throws SQLException {
        String firstName;
        try (var first = TestDatabase.create("isolation a");
                var second = TestDatabase.create("isolation b")) {
            firstName = first.name();
            execute(first, "CREATE TABLE marker(id int)");

            assertThat(first.name()).startsWith("t_isolation_a_").isNotEqualTo(second.name());
            assertThat(tableExists(second, "marker")).isFalse();
            assertThat(tableExists(first, "marker")).isTrue();
        }
        assertThat(databaseExists(firstName)).isFalse();
    }

    @Test
    void parsesExplicitUrlsWithAndWithoutCredentials() {
        assertThat(TestInfrastructure.parsePostgresUrl("postgresql://bob:pw@db.local:6543"))
                .isEqualTo(new TestInfrastructure.Postgres("db.local", 6543, "bob", "pw"));
        assertThat(TestInfrastructure.parsePostgresUrl("jdbc:postgresql://db.local"))
                .isEqualTo(new TestInfrastructure.Postgres("db.local", 5432, "postgres", ""));
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (var c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.createStatement().execute(sql);
        }
    }

    private static boolean tableExists(TestDatabase db, String table) throws SQLException {
        try (var c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                var rs = c.getMetaData().getTables(null, "public", table, null)) {
            return rs.next();
        }
    }

    private static boolean databaseExists(String name) throws SQLException {
        var pg = TestInfrastructure.postgres();
        try (var c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
                var st = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            st.setString(1, name);
            return st.executeQuery().next();
        }
    }
}
