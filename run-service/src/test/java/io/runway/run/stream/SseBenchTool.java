package io.runway.run.stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalTokenProperties;
import io.runway.common.auth.InternalTokenSigner;
import io.runway.run.Percentiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * The project's side of {@code run-service/bench/sse-side-by-side.sh}: a run-service instance elsewhere in the same
 * database and Redis. It runs on the packaged service's class path (see the script).
 *
 * <ul>
 *   <li>{@code prepare DB}: drops and creates the bench database (the service migrates it when it starts);
 *   <li>{@code token}: an internal token of the bench tenant, signed with {@code BENCH_SECRET};
 *   <li>{@code jwt}: a user JWT of the same user and tenant as an identity provider would issue it for the gateway
 *       (HS256 with {@code BENCH_JWT_SECRET}, {@code sub}, {@code tenant_id}, valid for an hour);
 *   <li>{@code run BASE_URL TOKEN}: a run that stays running (events 1 to 3), started through the API; prints its id;
 *   <li>{@code publish RUN RATE COUNT}: appends COUNT step events to the run at RATE per second, each second's due
 *       events in one transaction, and announces each transaction on the run-events channel as another instance
 *       would: subscribers get them through Redis. {@code createdAt} is the publish time. Writes sse-pub.js-style
 *       JSON to {@code PUB_JSON}.
 * </ul>
 *
 * Environment: {@code BENCH_JDBC} (database URL), {@code REDIS_HOST}, {@code REDIS_PORT}, {@code REDIS_KEY_PREFIX},
 * {@code BENCH_SECRET}, {@code BENCH_JWT_SECRET} (for {@code jwt}).
 */
public final class SseBenchTool {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WAIT_AN_HOUR =
            """
            {"name": "bench", "steps": [{"key": "wait", "name": "Wait", "type": "delay", "dependsOn": [],
              "config": {"seconds": 3600}}]}""";

    private static final int WARM_UP_PUBLISHES = 200;

    /** How long a transaction's events took from their stamp to their announcement on Redis. */
    private record Announcement(long firstSeq, long nanos) {

        @Override
        public String toString() {
            return "seq %d %.1f ms".formatted(firstSeq, nanos / 1e6);
        }
    }

    private static final String USER = "bench-user";
    private static final String TENANT = "tenant-bench";

    private SseBenchTool() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "prepare" -> prepare(args[1]);
            case "token" -> System.out.println(token());
            case "jwt" -> System.out.println(jwt());
            case "run" -> System.out.println(run(args[1], args[2]));
            case "publish" -> publish(UUID.fromString(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static void prepare(String database) throws SQLException {
        var admin = env("BENCH_JDBC").replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
        try (var db = DriverManager.getConnection(admin, "postgres", "");
                var sql = db.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + database);
        }
    }

    private static String token() {
        var properties = new InternalTokenProperties(
                env("BENCH_SECRET"), List.of(), Duration.ofHours(1), "runway-gateway", true);
        return new InternalTokenSigner(properties, Clock.systemUTC()).sign(CallerPrincipal.user(USER, TENANT));
    }

    private static String jwt() throws Exception {
        var now = Instant.now().getEpochSecond();
        var base64 = Base64.getUrlEncoder().withoutPadding();
        var header = base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        var claims = base64.encodeToString("{\"sub\":\"%s\",\"tenant_id\":\"%s\",\"iat\":%d,\"exp\":%d}"
                .formatted(USER, TENANT, now, now + 3600)
                .getBytes(StandardCharsets.UTF_8));
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(env("BENCH_JWT_SECRET").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        var signature = mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + base64.encodeToString(signature);
    }

    private static UUID run(String baseUrl, String token) throws Exception {
        // HTTP/1.1: the JDK client would otherwise ask for an h2c upgrade, which a service with HTTP/2 on refuses with
        // 413 for a request with a body
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var automation = post(http, baseUrl + "/api/v1/automations", token, WAIT_AN_HOUR)
                .path("id")
                .asString();
        var runId = UUID.fromString(post(http, baseUrl + "/api/v1/automation/run/" + automation + "/start", token, "{}")
                .path("data")
                .path("runId")
                .asString());
        try (var db = database()) {
            var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (eventSeq(db, runId) < 3) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + runId + " did not reach event 3");
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        return runId;
    }

    private static tools.jackson.databind.JsonNode post(HttpClient http, String url, String token, String body)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url))
                .header("X-Internal-Token", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static void publish(UUID runId, int rate, int count) throws Exception {
        var prefix = System.getenv().getOrDefault("REDIS_KEY_PREFIX", "");
        var redisUri = "redis://" + System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("REDIS_PORT", "6379");
        var redis = RedisClient.create(redisUri);
        try (var db = database();
                var connection = redis.connect()) {
            db.setAutoCommit(false);
            var channel = prefix + "run-events";
            long first = eventSeq(db, runId) + 1;
            warmUp(db, connection, channel + ".warm-up", runId, first);
            long started = System.nanoTime();
            int sent = 0;
            var announced = new ArrayList<Announcement>();
            while (sent < count) {
                long elapsed = System.nanoTime() - started;
                int due = (int) Math.min(count, elapsed * rate / 1_000_000_000L + 1);
                if (due > sent) {
                    long stamped = System.nanoTime();
                    var events = append(db, runId, first + sent, due - sent);
                    connection.sync().publish(channel, JSON.writeValueAsString(new Notification("bench", events)));
                    announced.add(new Announcement(first + sent, System.nanoTime() - stamped));
                    sent = due;
                } else {
                    long next = (sent * 1_000_000_000L) / rate;
                    LockSupport.parkNanos(next - elapsed);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            var result =
                    """
                    {"label": "run-service publish", "sent": %d, "errors": 0, "targetRate": %d, "achievedRate": %.2f,\
                     "spanS": %.3f}
                    """
                            .formatted(sent, rate, count > 1 ? (count - 1) / seconds : count, seconds);
            var out = System.getenv("PUB_JSON");
            if (out != null) {
                Files.writeString(Path.of(out), result);
            }
            System.err.printf("published %d events to run %s at %.1f/s%n", sent, runId, (count - 1) / seconds);
            var fastestFirst = announced.stream()
                    .sorted(Comparator.comparingLong(Announcement::nanos))
                    .toList();
            System.err.printf(
                    "publish         stamp to announced (commit, then Redis PUBLISH) n=%d transactions  p50 %.2f  p99 %.2f"
                            + " ms; slowest %s, first %s%n",
                    fastestFirst.size(),
                    Percentiles.of(fastestFirst, 0.50).nanos() / 1e6,
                    Percentiles.of(fastestFirst, 0.99).nanos() / 1e6,
                    Percentiles.of(fastestFirst, 1.0),
                    announced.get(0));
        } finally {
            redis.shutdown();
        }
    }

    /**
     * Runs the publish path {@value #WARM_UP_PUBLISHES} times before the first event is stamped, rolled back and
     * announced on a channel no instance reads. This tool is a JVM started once the subscribers are connected: cold,
     * it took 200-250 ms from stamping its first event to announcing it (the others: under 35 ms), and with 100 events
     * in a scenario that one event is 1 % of the deliveries, enough to set their p99. The engine it stands for is warm.
     */
    private static void warmUp(
            Connection db, StatefulRedisConnection<String, String> redis, String channel, UUID runId, long from)
            throws SQLException {
        for (int i = 0; i < WARM_UP_PUBLISHES; i++) {
            var events = write(db, runId, from, 1);
            db.rollback();
            redis.sync().publish(channel, JSON.writeValueAsString(new Notification("bench", events)));
        }
    }

    /** Appends {@code n} step events from sequence {@code from} in one transaction, stamped with the time now. */
    private static List<StoredEvent> append(Connection db, UUID runId, long from, int n) throws SQLException {
        var events = write(db, runId, from, n);
        db.commit();
        return events;
    }

    private static List<StoredEvent> write(Connection db, UUID runId, long from, int n) throws SQLException {
        var at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (var insert = db.prepareStatement(
                        """
                        INSERT INTO run_events (run_id, seq, type, step_key, status, progress, message, created_at)
                        SELECT ?, g, 'step', 'wait', 'running', 0, 'bench', ?
                        FROM generate_series(CAST(? AS bigint), CAST(? AS bigint)) g""");
                var head = db.prepareStatement("UPDATE runs SET event_seq = ? WHERE id = ?")) {
            insert.setObject(1, runId);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setLong(3, from);
            insert.setLong(4, from + n - 1);
            insert.executeUpdate();
            head.setLong(1, from + n - 1);
            head.setObject(2, runId);
            head.executeUpdate();
        }
        var events = new ArrayList<StoredEvent>(n);
        for (int i = 0; i < n; i++) {
            events.add(new StoredEvent(runId, from + i, "step", "wait", "running", 0, "bench", at, null));
        }
        return events;
    }

    private static long eventSeq(Connection db, UUID runId) throws SQLException {
        try (var query = db.prepareStatement("SELECT event_seq FROM runs WHERE id = ?")) {
            query.setObject(1, runId);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(env("BENCH_JDBC"), "postgres", "");
    }

    private static String env(String name) {
        var value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
