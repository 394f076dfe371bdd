package io.runway.worker.heartbeat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

@org.springframework.stereotype.Repository
class HeartbeatRepository {

    // One statement for every buffered heartbeat. Ordered by server id so that two instances flushing at once lock
    // rows in the same order; the join skips servers deleted since their heartbeat.
    private static final String UPSERT =
            """
            INSERT INTO server_health AS h (server_id, reported_name, ip, cpu_usage, ram_usage, disk_usage,
                                            active_threads, active_tasks, last_health_check, last_active)
            SELECT u.server_id, u.reported_name, u.ip, u.cpu, u.ram, u.disk,
                   coalesce(u.threads, 0), coalesce(u.tasks, 0), u.at, u.at
            FROM unnest(:ids::uuid[], :names::text[], :ips::text[], :cpu::float8[], :ram::float8[], :disk::float8[],
                        :threads::int[], :tasks::int[], :at::timestamptz[])
                 AS u(server_id, reported_name, ip, cpu, ram, disk, threads, tasks, at)
            JOIN servers s ON s.id = u.server_id
            ORDER BY u.server_id
            ON CONFLICT (server_id) DO UPDATE SET
                reported_name = coalesce(EXCLUDED.reported_name, h.reported_name),
                ip = coalesce(EXCLUDED.ip, h.ip),
                cpu_usage = coalesce(EXCLUDED.cpu_usage, h.cpu_usage),
                ram_usage = coalesce(EXCLUDED.ram_usage, h.ram_usage),
                disk_usage = coalesce(EXCLUDED.disk_usage, h.disk_usage),
                active_threads = EXCLUDED.active_threads,
                active_tasks = EXCLUDED.active_tasks,
                last_health_check = EXCLUDED.last_health_check,
                last_active = EXCLUDED.last_active
            """;

    private final DatabaseClient db;

    HeartbeatRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Long> upsert(List<Heartbeat> beats) {
        int n = beats.size();
        var ids = new UUID[n];
        var names = new String[n];
        var ips = new String[n];
        var cpu = new Double[n];
        var ram = new Double[n];
        var disk = new Double[n];
        var threads = new Integer[n];
        var tasks = new Integer[n];
        var at = new Instant[n];
        for (int i = 0; i < n; i++) {
            var beat = beats.get(i);
            var report = beat.report();
            ids[i] = beat.serverId();
            names[i] = report.serverName();
            ips[i] = report.ip();
            cpu[i] = report.cpuUsage();
            ram[i] = report.ramUsage();
            disk[i] = report.diskUsage();
            threads[i] = report.activeThreads();
            tasks[i] = report.activeTasks();
            at[i] = beat.receivedAt();
        }
        return db.sql(UPSERT)
                .bind("ids", ids)
                .bind("names", names)
                .bind("ips", ips)
                .bind("cpu", cpu)
                .bind("ram", ram)
                .bind("disk", disk)
                .bind("threads", threads)
                .bind("tasks", tasks)
                .bind("at", at)
                .fetch()
                .rowsUpdated();
    }
}
