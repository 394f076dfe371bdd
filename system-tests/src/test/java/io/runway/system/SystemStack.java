package io.runway.system;

import io.runway.common.testsupport.TestDatabase;
import io.runway.common.testsupport.TestInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The packaged gateway in front of one or more packaged run-service instances, each a child process on a free port,
 * for one test class: a throwaway run database, a throwaway LIKEPION database, a private Redis key prefix. The gateway
 * routes run traffic to the last instance. Register it as a static {@code @RegisterExtension} field; the processes
 * are stopped and the databases dropped after the class, and each process's output is printed when a test fails.
 */
final class SystemStack implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    static final String JWT_SECRET = "system-test-jwt-secret-0123456789abcdef";

    /** The operators' key the gateway accepts in X-Admin-Key and for a console sign-in. */
    static final String ADMIN_KEY = "system-test-admin-key-0123456789abcdef";

    private static final Duration STARTUP_TIMEOUT =
            Duration.ofSeconds(Long.getLong("system.startupTimeoutSeconds", 150));

    private final int runServices;
    private final List<String> jvmArgs;
    private final Map<String, String> gatewayEnv = new HashMap<>();
    private final Map<String, String> runServiceEnv = new HashMap<>();
    private final Map<String, String> assignEnv = new HashMap<>();
    private boolean likepionServices;
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final List<ServiceProcess> instances = new ArrayList<>();
    private final List<TestDatabase> databases = new ArrayList<>();
    private final Set<Integer> ports = new HashSet<>();
    private final Thread killOnExit = new Thread(this::stopProcesses, "system-stack-stop");
    private TestDatabase runDatabase;
    private TestDatabase likepionDatabase;
    private ServiceProcess gateway;

    private SystemStack(int runServices, List<String> jvmArgs) {
        this.runServices = runServices;
        this.jvmArgs = jvmArgs;
    }

    /**
     * The gateway and {@code runServices} run-service instances (none: the run routes lead nowhere), with JVM settings
     * that favour a quick start.
     */
    static SystemStack gatewayAndRunServices(int runServices) {
        return new SystemStack(
                runServices,
                List.of(
                        "-Xms64m",
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-XX:+ExitOnOutOfMemoryError"));
    }

    /** The same stack with the given JVM settings instead (e.g. full JIT for measurements). */
    SystemStack withJvmArgs(String... args) {
        var copy = new SystemStack(runServices, List.of(args));
        copy.gatewayEnv.putAll(gatewayEnv);
        copy.assignEnv.putAll(assignEnv);
        copy.runServiceEnv.putAll(runServiceEnv);
        copy.likepionServices = likepionServices;
        return copy;
    }

    /** An extra environment variable for the gateway process (e.g. {@code CORS_ALLOWED_ORIGINS}). */
    SystemStack withGatewayEnv(String name, String value) {
        gatewayEnv.put(name, value);
        return this;
    }

    /** An extra environment variable for every run-service process (e.g. a short {@code APP_ENGINE_LEASE}). */
    SystemStack withRunServiceEnv(String name, String value) {
        runServiceEnv.put(name, value);
        return this;
    }

    /** Kills run-service instance {@code index} at once (SIGKILL): no shutdown hook, no lease handed over. */
    void killRunService(int index) {
        instances.get(index).kill();
    }

    /**
     * Also worker-service and assign-service on the stack's LIKEPION database, routed by the gateway; {@code
     * assignEnv} is extra environment for assign-service (e.g. {@code DISPATCHER_ENABLED}).
     */
    SystemStack withLikepionServices(Map<String, String> assignEnv) {
        this.likepionServices = true;
        this.assignEnv.putAll(assignEnv);
        return this;
    }

    /** Runs one statement on the stack's LIKEPION database (what worker fleets and operators would have left). */
    void likepionSql(String sql) {
        try (var connection = DriverManager.getConnection(
                        likepionDatabase.jdbcUrl(), likepionDatabase.user(), likepionDatabase.password());
                var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String gatewayUrl() {
        return gateway.baseUrl();
    }

    /** The base URL of run-service instance {@code index} (0 = A); the gateway routes to the last one. */
    String runServiceUrl(int index) {
        return instances.get(index).baseUrl();
    }

    /** Restarts run-service instance {@code index} on its ports (graceful stop, start, ready); the gateway keeps routing. */
    void restartRunService(int index) {
        var old = instances.get(index);
        var fresh = old.restart();
        instances.set(index, fresh);
        processes.set(processes.indexOf(old), fresh);
        ServiceProcess.awaitReady(List.of(fresh), STARTUP_TIMEOUT);
    }

    /** The process id of run-service instance {@code index}. */
    long runServicePid(int index) {
        return instances.get(index).pid();
    }

    /** The management URL (health, Prometheus) of run-service instance {@code index}. */
    String runServiceManagementUrl(int index) {
        return instances.get(index).managementUrl();
    }

    /** A user JWT the gateway accepts: HS256 with the stack's secret, {@code sub} and {@code tenant_id}. */
    static String userJwt(String userId, String tenant) {
        return UserJwts.sign(JWT_SECRET, userId, tenant, Duration.ofHours(1));
    }

    /** The single number a query on the run database answers (a count, a sum). */
    long runDatabaseNumber(String sql) {
        try (var connection =
                        DriverManager.getConnection(runDatabase.jdbcUrl(), runDatabase.user(), runDatabase.password());
                var statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sequence numbers of the run's committed events, read from the run database. */
    List<Long> committedSeqs(UUID runId) {
        var seqs = new ArrayList<Long>();
        try (var connection =
                        DriverManager.getConnection(runDatabase.jdbcUrl(), runDatabase.user(), runDatabase.password());
                var statement =
                        connection.prepareStatement("SELECT seq FROM run_events WHERE run_id = ? ORDER BY seq")) {
            statement.setObject(1, runId);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    seqs.add(rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return seqs;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        var root = projectRoot();
        var gatewayJar = jar(root, "gateway");
        var runServiceJar = jar(root, "run-service");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        var name = context.getRequiredTestClass().getSimpleName();
        var logDir = root.resolve("system-tests/target/service-logs/" + name);
        try {
            runDatabase = track(TestDatabase.create(name + "_runs"));
            likepionDatabase = track(TestDatabase.create(name + "_likepion")).migrate("classpath:db/likepion");
            var shared = sharedEnvironment();
            for (int i = 0; i < runServices; i++) {
                instances.add(launchRunService("run-service-" + (char) ('a' + i), runServiceJar, shared, logDir));
            }
            var likepion = new HashMap<String, String>(shared);
            likepion.put("LIKEPION_DB_NAME", likepionDatabase.name());
            if (likepionServices) {
                likepionServices(root, likepion, logDir);
            }
            gateway = launchGateway(gatewayJar, likepion, logDir);
            ServiceProcess.awaitReady(processes, STARTUP_TIMEOUT);
        } catch (RuntimeException e) {
            afterAll(context);
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopProcesses();
        databases.forEach(TestDatabase::close);
        databases.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already exiting: the hook runs anyway
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (var process : processes) {
            System.err.printf(
                    "%n--- last lines of %s (full output: %s) ---%n%s%n",
                    process.name(), process.log(), process.tail(40));
        }
    }

    private Map<String, String> sharedEnvironment() {
        var postgres = TestInfrastructure.postgres();
        var redis = TestInfrastructure.redis();
        var env = new HashMap<String, String>();
        env.put("PG_HOST", postgres.host());
        env.put("PG_PORT", Integer.toString(postgres.port()));
        env.put("PG_USER", postgres.user());
        env.put("PG_PASSWORD", postgres.password());
        env.put("REDIS_HOST", redis.host());
        env.put("REDIS_PORT", Integer.toString(redis.port()));
        env.put("REDIS_KEY_PREFIX", "sys-" + UUID.randomUUID().toString().substring(0, 8) + ":");
        // The secret TestTokens signs with, so a test can also call an instance directly.
        env.put("INTERNAL_TOKEN_SECRET", TestTokens.SECRET);
        env.put("INTERNAL_TOKEN_PREVIOUS_SECRETS", "");
        env.put("LOG_FORMAT", "");
        return env;
    }

    private ServiceProcess launchRunService(String name, Path jar, Map<String, String> shared, Path logDir) {
        int port = freePort();
        var env = new HashMap<>(shared);
        env.put("RUN_DB_NAME", runDatabase.name());
        env.put("RUN_SERVICE_PORT", Integer.toString(port));
        env.putAll(runServiceEnv);
        return launch(name, jar, port, "RUN_SERVICE_MANAGEMENT_PORT", env, logDir);
    }

    private void likepionServices(Path root, Map<String, String> likepion, Path logDir) {
        int workerPort = freePort();
        var worker = new HashMap<>(likepion);
        worker.put("WORKER_SERVICE_PORT", Integer.toString(workerPort));
        launch(
                "worker-service",
                jar(root, "worker-service"),
                workerPort,
                "WORKER_SERVICE_MANAGEMENT_PORT",
                worker,
                logDir);
        int assignPort = freePort();
        var assign = new HashMap<>(likepion);
        assign.put("ASSIGN_SERVICE_PORT", Integer.toString(assignPort));
        assign.putAll(assignEnv);
        launch(
                "assign-service",
                jar(root, "assign-service"),
                assignPort,
                "ASSIGN_SERVICE_MANAGEMENT_PORT",
                assign,
                logDir);
    }

    private ServiceProcess launchGateway(Path jar, Map<String, String> likepion, Path logDir) {
        int port = freePort();
        var env = new HashMap<>(likepion);
        env.put("GATEWAY_PORT", Integer.toString(port));
        env.put("JWT_SECRET", JWT_SECRET);
        env.put("ADMIN_API_KEY", ADMIN_KEY);
        // Routes a stack does not serve point at a closed port, never at a stack that may run on 8081/8082/8083.
        var nowhere = "http://127.0.0.1:" + freePort();
        env.put(
                "RUN_SERVICE_URL",
                instances.isEmpty()
                        ? nowhere
                        : instances.get(instances.size() - 1).baseUrl());
        env.put("WORKER_SERVICE_URL", likepionServices ? urlOf("worker-service") : nowhere);
        env.put("ASSIGN_SERVICE_URL", likepionServices ? urlOf("assign-service") : nowhere);
        env.putAll(gatewayEnv);
        return launch("gateway", jar, port, "GATEWAY_MANAGEMENT_PORT", env, logDir);
    }

    private ServiceProcess launch(
            String name, Path jar, int port, String managementPortVariable, Map<String, String> env, Path logDir) {
        int managementPort = freePort();
        env.put(managementPortVariable, Integer.toString(managementPort));
        var process = ServiceProcess.start(name, jar, port, managementPort, env, jvmArgs, logDir);
        processes.add(process);
        return process;
    }

    private String urlOf(String name) {
        return processes.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow()
                .baseUrl();
    }

    private TestDatabase track(TestDatabase database) {
        databases.add(database);
        return database;
    }

    private synchronized void stopProcesses() {
        processes.forEach(ServiceProcess::requestStop);
        processes.forEach(ServiceProcess::close);
        processes.clear();
    }

    private static Path jar(Path root, String module) {
        var jar = root.resolve(module + "/target/" + module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar
                    + " is missing: run ./mvnw -B package -DskipTests first (system-tests launch the packaged jars)");
        }
        return jar;
    }

    static Path projectRootPath() {
        return projectRoot();
    }

    private static Path projectRoot() {
        var configured = System.getProperty("runway.root");
        var dir = (configured != null ? Path.of(configured) : Path.of(""))
                .toAbsolutePath()
                .normalize();
        for (var candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("run-service"))
                    && Files.isDirectory(candidate.resolve("gateway"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the project root (with gateway/ and run-service/) from " + dir);
    }

    /** A port nothing listens on now, distinct from the ones this stack already handed out. */
    private int freePort() {
        while (true) {
            try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (ports.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
