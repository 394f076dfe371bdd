package io.runway.assign;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;

/** Writes and reads LIKEPION rows directly, the way worker-service and operators would leave them. */
public final class TestData {

    private final DatabaseClient db;

    public TestData(DatabaseClient db) {
        this.db = db;
    }

    public void reset() {
        exec("TRUNCATE servers, server_health, sites, accounts, settings, requests, links, request_link_counts, "
                + "account_usage CASCADE");
    }

    public UUID server(String name, String service, int maxThreads, int priority, String... serviceTypes) {
        var id = UUID.randomUUID();
        db.sql(
                        """
                        INSERT INTO servers (id, name, service, service_types, max_threads, priority, api_key_hash,
                                             created_at)
                        VALUES (:id, :name, :service, :types, :max, :priority, :hash, :createdAt)
                        """)
                .bind("id", id)
                .bind("name", name)
                .bind("service", service)
                .bind("types", serviceTypes)
                .bind("max", maxThreads)
                .bind("priority", priority)
                .bind("hash", UUID.randomUUID().toString())
                .bind("createdAt", Instant.parse("2020-01-01T00:00:00Z"))
                .then()
                .block();
        return id;
    }

    public void heartbeat(UUID serverId, Instant at, double cpu) {
        db.sql(
                        """
                        INSERT INTO server_health (server_id, cpu_usage, ram_usage, disk_usage, active_threads,
                                                   last_health_check, last_active)
                        VALUES (:id, :cpu, 10, 10, 3, :at, :at)
                        ON CONFLICT (server_id) DO UPDATE SET cpu_usage = EXCLUDED.cpu_usage,
                            last_health_check = EXCLUDED.last_health_check, last_active = EXCLUDED.last_active
                        """)
                .bind("id", serverId)
                .bind("cpu", (float) cpu)
                .bind("at", at)
                .then()
                .block();
    }

    public UUID request(String serviceType, String status, int target, UUID groupId) {
        var id = UUID.randomUUID();
        db.sql(
                        """
                        INSERT INTO requests (id, service_type, group_id, name, status, target)
                        VALUES (:id, :type, :group, :name, :status, :target)
                        """)
                .bind("id", id)
                .bind("type", serviceType)
                .bind("group", Parameter.fromOrEmpty(groupId, UUID.class))
                .bind("name", "campaign " + id)
                .bind("status", status)
                .bind("target", target)
                .then()
                .block();
        return id;
    }

    /** Inserts {@code n} links of one request in one status; ids are time-ordered in insertion order. */
    public List<UUID> links(UUID requestId, String serviceType, String status, int n) {
        return db.sql(
                        """
                        INSERT INTO links (id, request_id, service_type, status)
                        SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
                                || lpad(to_hex(g), 8, '0') || substr(md5(random()::text), 1, 12))::uuid, :request, :type, :status
                        FROM generate_series(1, :n) g
                        RETURNING id
                        """)
                .bind("request", requestId)
                .bind("type", serviceType)
                .bind("status", status)
                .bind("n", n)
                .map(row -> row.get("id", UUID.class))
                .all()
                .collectList()
                .block();
    }

    public UUID link(UUID requestId, String serviceType, String status, UUID serverId, UUID accountId) {
        var id = UUID.randomUUID();
        db.sql(
                        """
                        INSERT INTO links (id, request_id, service_type, status, server_id, account_id, email)
                        VALUES (:id, :request, :type, :status, :server, :account,
                                (SELECT email FROM accounts WHERE id = :account))
                        """)
                .bind("id", id)
                .bind("request", requestId)
                .bind("type", serviceType)
                .bind("status", status)
                .bind("server", Parameter.fromOrEmpty(serverId, UUID.class))
                .bind("account", Parameter.fromOrEmpty(accountId, UUID.class))
                .then()
                .block();
        return id;
    }

    public UUID site(String name, String type) {
        var id = UUID.randomUUID();
        db.sql("INSERT INTO sites (id, name, type) VALUES (:id, :name, :type)")
                .bind("id", id)
                .bind("name", name)
                .bind("type", type)
                .then()
                .block();
        return id;
    }

    public UUID account(UUID groupId, String email) {
        var id = UUID.randomUUID();
        db.sql("INSERT INTO accounts (id, group_id, email, password) VALUES (:id, :group, :email, 'secret')")
                .bind("id", id)
                .bind("group", groupId)
                .bind("email", email)
                .then()
                .block();
        return id;
    }

    public void setting(String group, String key, String value) {
        db.sql(
                        """
                        INSERT INTO settings ("group", key, value) VALUES (:group, :key, :value)
                        ON CONFLICT ("group", key) DO UPDATE SET value = EXCLUDED.value
                        """)
                .bind("group", group)
                .bind("key", key)
                .bind("value", value)
                .then()
                .block();
    }

    public void exec(String sql) {
        db.sql(sql).then().block();
    }

    public long count(String sql) {
        return db.sql(sql).map(row -> ((Number) row.get(0)).longValue()).one().block();
    }

    public Map<String, Object> row(String sql) {
        return db.sql(sql).fetch().one().block();
    }

    public List<Map<String, Object>> rows(String sql) {
        return db.sql(sql).fetch().all().collectList().block();
    }
}
