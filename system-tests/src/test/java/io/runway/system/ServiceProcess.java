package io.runway.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** One packaged service (a Spring Boot jar) running as a child JVM, its output captured to a file. */
final class ServiceProcess implements AutoCloseable {

    // Only what a JVM needs from the parent: a stray SPRING_* or SERVER_PORT in the caller's environment must not leak.
    private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Process process;
    private final Launch launch;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(String name, int port, int managementPort, Path log, Process process, Launch launch) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
        this.launch = launch;
    }

    /** How a process was started, to start it again the same way. */
    private record Launch(Path jar, Map<String, String> env, List<String> jvmArgs, Path logDir) {}

    /** Stops this process (gracefully, as a rollout would) and starts the same service again on the same ports. */
    ServiceProcess restart() {
        close();
        return start(name, port, managementPort, launch, true);
    }

    /**
     * Launches {@code java <jvmArgs> -jar <jar>} ({@code {name}} in an argument becomes the service's name) with exactly the given environment (plus PATH and the like). */
    static ServiceProcess start(
            String name,
            Path jar,
            int port,
            int managementPort,
            Map<String, String> env,
            List<String> jvmArgs,
            Path logDir) {
        return start(name, port, managementPort, new Launch(jar, Map.copyOf(env), List.copyOf(jvmArgs), logDir), false);
    }

    private static ServiceProcess start(String name, int port, int managementPort, Launch launch, boolean appendLog) {
        var jar = launch.jar();
        var env = launch.env();
        var logDir = launch.logDir();
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        launch.jvmArgs().forEach(arg -> command.add(arg.replace("{name}", name)));
        command.add("-jar");
        command.add(jar.toString());
        var log = logDir.resolve(name + ".log");
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        appendLog
                                ? ProcessBuilder.Redirect.appendTo(log.toFile())
                                : ProcessBuilder.Redirect.to(log.toFile()));
        var environment = builder.environment();
        var parent = Map.copyOf(environment);
        environment.clear();
        INHERITED.stream().filter(parent::containsKey).forEach(key -> environment.put(key, parent.get(key)));
        environment.putAll(env);
        try {
            Files.createDirectories(logDir);
            var process = builder.start();
            process.getOutputStream().close();
            return new ServiceProcess(name, port, managementPort, log, process, launch);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + jar + ")", e);
        }
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Where health, metrics and Prometheus answer: a port of their own, never the API's. */
    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Whether {@code /actuator/health/readiness} answers 200; fails at once when the process has exited. */
    boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue()
                    + " before it was ready; its output:\n" + tail(80));
        }
        var request = HttpRequest.newBuilder(URI.create(managementUrl() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every service is ready, or fails naming the ones that are not, with the end of their output. */
    static void awaitReady(List<ServiceProcess> services, Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        var pending = new ArrayList<>(services);
        while (!pending.isEmpty()) {
            pending.removeIf(ServiceProcess::ready);
            if (!pending.isEmpty() && System.nanoTime() > deadline) {
                var report = new StringBuilder("not ready after " + timeout.toSeconds() + " s:");
                pending.forEach(service -> report.append("\n--- ")
                        .append(service.name)
                        .append(" (")
                        .append(service.log)
                        .append(") ---\n")
                        .append(service.tail(60)));
                throw new IllegalStateException(report.toString());
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }

    /** The last {@code lines} lines of the captured output. */
    String tail(int lines) {
        try {
            var all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The JVM's process id, for reading its CPU time from /proc. */
    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Kills the JVM at once (SIGKILL) and waits until it is gone. */
    void kill() {
        try {
            process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the JVM to stop (graceful shutdown) without waiting; {@link #close()} waits and kills. */
    void requestStop() {
        process.destroy();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
