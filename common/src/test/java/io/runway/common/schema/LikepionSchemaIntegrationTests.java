package io.runway.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runway.common.id.UuidV7;
import io.runway.common.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LikepionSchemaIntegrationTests {

    static TestDatabase db;
    static Connection connection;

    @BeforeAll
    static void migrate() throws SQLException {
        db = TestDatabase.create("likepion schema").migrate("classpath:db/likepion");
        connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    @AfterAll
    static void drop() throws SQLException {
        connection.close();
        db.close();
    }

    @Test
    void requestCountsFollowEveryInsertUpdateAndDeleteOfLinks() throws SQLException {
        var request = newRequest();
        for (int i = 0; i < 5; i++) {
            execute("INSERT INTO links (id, request_id, service_type) VALUES ('%s', '%s', 'entity')"
                    .formatted(UuidV7.next(), request));
        }
        assertThat(counts(request)).isEqualTo(Map.of("pending", 5L));

        execute("UPDATE links SET status = 'queued' WHERE id IN (SELECT id FROM links WHERE request_id = '%s' LIMIT 3)"
                .formatted(request));
        execute("UPDATE links SET status = 'running' WHERE request_id = '%s' AND status = 'queued'".formatted(request));
        execute("UPDATE links SET note = 'no status change' WHERE request_id = '%s'".formatted(request));
        assertThat(counts(request)).isEqualTo(Map.of("pending", 2L, "queued", 0L, "running", 3L));

        execute("DELETE FROM links WHERE request_id = '%s' AND status = 'pending'".formatted(request));
        assertThat(counts(request)).containsEntry("pending", 0L).containsEntry("running", 3L);
    }

    @Test
    void unknownStatusesAreRefusedByTheSchema() throws SQLException {
        var request = newRequest();
        assertThatThrownBy(() -> execute(
                        "INSERT INTO links (id, request_id, service_type, status) VALUES ('%s', '%s', 'entity', 'done')"
                                .formatted(UuidV7.next(), request)))
                .hasMessageContaining("links_status_check");
    }

    private static UUID newRequest() throws SQLException {
        var id = UuidV7.next();
        execute("INSERT INTO requests (id, service_type, name) VALUES ('%s', 'entity', 'Campaign')".formatted(id));
        return id;
    }

    private static Map<String, Long> counts(UUID request) throws SQLException {
        var result = new TreeMap<String, Long>();
        try (var st =
                connection.prepareStatement("SELECT status, count FROM request_link_counts WHERE request_id = ?")) {
            st.setObject(1, request);
            var rs = st.executeQuery();
            while (rs.next()) {
                result.put(rs.getString(1), rs.getLong(2));
            }
        }
        return result;
    }

    private static void execute(String sql) throws SQLException {
        try (var st = connection.createStatement()) {
            st.execute(sql);
        }
    }
}
