package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.RealInfrastructure;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The gateway's cost next to a bare reverse proxy. nginx (Debian package) serves a fixed 26-byte JSON answer as the
 * upstream and, on a second port, proxies to it as the reference; the gateway proxies the worker route with API-key
 * auth (cached), the Redis rate limit (limit set high), a freshly signed internal token, breaker and retry filters.
 * Maximum throughput comes from wrk, a separate process (16 connections); latency at a fixed rate from an in-JVM client
 * timing each request from its scheduled start (no coordinated omission), once settled. The gateway's CPU time per
 * request is read
 * from this JVM, which holds nothing else busy during the wrk runs. Prints its figures.
 */
@Tag("benchmark")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"RATE_LIMIT_WORKER_PER_KEY=1000000000", "logging.level.access=WARN"})
@RealInfrastructure
class GatewayBenchmark {

    static final String KEY = "bench-tool-key";
    static final String PATH = "/api/v1/worker/tasks";
    static final int CONNECTIONS = env("BENCH_CONNECTIONS", 16);
    static final Duration WARMUP = Duration.ofSeconds(env("BENCH_WARMUP_SECONDS", 90));
    static final Duration MEASURE = Duration.ofSeconds(env("BENCH_SECONDS", 10));
    static final int FIXED_RATE = env("BENCH_RATE", 1000);
    static final Nginx NGINX = Nginx.start();

    @LocalServerPort
    int gatewayPort;

    @Autowired
    Environment environment;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        var url = "http://127.0.0.1:" + NGINX.upstreamPort;
        registry.add("app.services.worker-url", () -> url);
        registry.add("app.services.run-url", () -> url);
        registry.add("app.services.assign-url", () -> url);
    }

    @AfterAll
    static void stop() {
        NGINX.stop();
    }

    @Test
    void directVersusNginxVersusTheGateway() throws Exception {
        GatewayFixtures.of(environment).server(KEY, "tool", "online");
        var direct = "http://127.0.0.1:" + NGINX.upstreamPort + PATH;
        var nginxProxy = "http://127.0.0.1:" + NGINX.proxyPort + PATH;
        var gateway = "http://127.0.0.1:" + gatewayPort + PATH;

        System.out.println("BENCHMARK warming the gateway up for " + WARMUP.toSeconds() + " s");
        var warm = Wrk.run(gateway, WARMUP);
        System.out.printf(Locale.ROOT, "BENCHMARK warm-up: %.0f req/s%n", warm.rps());
        var directMax = Wrk.run(direct, MEASURE);
        var nginxMax = Wrk.run(nginxProxy, MEASURE);
        long cpuBefore = processCpuNanos();
        var gatewayMax = Wrk.run(gateway, MEASURE);
        double gatewayCpuMs = (processCpuNanos() - cpuBefore) / 1e6 / gatewayMax.requests();

        // Its own event loop: the gateway's server and client loops stay the gateway's.
        var loop = LoopResources.create("bench-client", 1, true);
        var provider = ConnectionProvider.builder("bench").maxConnections(512).build();
        var client = HttpClient.create(provider)
                .runOn(loop)
                .protocol(HttpProtocol.HTTP11)
                .headers(h -> h.set("X-API-Key", KEY));
        var directLatency = fixedRate(client, direct);
        var nginxLatency = fixedRate(client, nginxProxy);
        var gatewayLatency = fixedRate(client, gateway);
        provider.disposeLater().block(Duration.ofSeconds(10));
        loop.disposeLater().block(Duration.ofSeconds(10));

        System.out.printf(
                Locale.ROOT,
                """
                BENCHMARK gateway (loopback; upstream and reference proxy: nginx, 1 worker each; load: wrk, %d connections, %d s)
                  max throughput   direct %8.0f req/s   nginx proxy %8.0f req/s (%.2f of direct)   gateway %8.0f req/s (%.2f of direct, %.2f of nginx)
                  gateway CPU      %.3f ms per request (this JVM, during its wrk run)
                  at %d req/s       p50 / p99: direct %.2f / %.2f ms   nginx proxy %.2f / %.2f ms   gateway %.2f / %.2f ms   (gateway adds %.2f ms at p99, nginx %.2f ms)
                  errors           wrk non-2xx: direct %d, nginx %d, gateway %d; fixed-rate failures: direct %d, nginx %d, gateway %d; rate-limit checks skipped (fail open) %.0f
                """,
                CONNECTIONS,
                MEASURE.toSeconds(),
                directMax.rps(),
                nginxMax.rps(),
                nginxMax.rps() / directMax.rps(),
                gatewayMax.rps(),
                gatewayMax.rps() / directMax.rps(),
                gatewayMax.rps() / nginxMax.rps(),
                gatewayCpuMs,
                FIXED_RATE,
                directLatency.p50(),
                directLatency.p99(),
                nginxLatency.p50(),
                nginxLatency.p99(),
                gatewayLatency.p50(),
                gatewayLatency.p99(),
                gatewayLatency.p99() - directLatency.p99(),
                nginxLatency.p99() - directLatency.p99(),
                directMax.failures(),
                nginxMax.failures(),
                gatewayMax.failures(),
                directLatency.errors(),
                nginxLatency.errors(),
                gatewayLatency.errors(),
                meters.counter("gateway.ratelimit.fail.open").count());
        assertThat(gatewayMax.failures())
                .as("requests the gateway answered with an error")
                .isZero();
    }

    /**
     * Latency percentiles at a fixed request rate, each measured from when it was due to start. The run lasts twice
     * {@link #MEASURE} and only its second half counts: a target's latency takes several seconds to settle after the
     * switch from wrk to this client (first-second p99 of 76 ms through the gateway, 3–8 ms from the fifth on).
     */
    private static Latency fixedRate(HttpClient client, String url) {
        int total = (int) (FIXED_RATE * MEASURE.toSeconds() * 2);
        var latencies = new AtomicLongArray(total);
        var errors = new AtomicLong();
        long intervalNanos = 1_000_000_000L / FIXED_RATE;
        long start = System.nanoTime() + 50_000_000L;
        Flux.interval(Duration.ofMillis(1))
                .onBackpressureDrop()
                .map(tick -> (int) Math.min(total, (System.nanoTime() - start) / intervalNanos + 1))
                .scan(new int[] {0, 0}, (range, due) -> new int[] {range[1], Math.max(range[1], due)})
                .takeUntil(range -> range[1] >= total)
                .flatMap(
                        range -> Flux.range(range[0], range[1] - range[0])
                                .flatMap(i -> call(client, url).doOnNext(ok -> {
                                    if (!ok) {
                                        errors.incrementAndGet();
                                    }
                                    latencies.set(i, System.nanoTime() - (start + i * intervalNanos));
                                })),
                        4096)
                .blockLast(MEASURE.multipliedBy(2).plusSeconds(30));
        int counted = total / 2;
        long[] sorted = new long[counted];
        for (int i = 0; i < counted; i++) {
            sorted[i] = latencies.get(total - counted + i);
        }
        Arrays.sort(sorted);
        return new Latency(
                sorted[(int) (counted * 0.50)] / 1e6,
                sorted[(int) Math.min(counted - 1, counted * 0.99)] / 1e6,
                errors.get());
    }

    private static Mono<Boolean> call(HttpClient client, String url) {
        return client.get()
                .uri(url)
                .responseSingle((response, body) -> body.asByteArray()
                        .thenReturn(response.status().code() == 200)
                        .defaultIfEmpty(response.status().code() == 200))
                .onErrorReturn(false);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static int env(String name, int fallback) {
        var value = System.getenv(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private record Latency(double p50, double p99, long errors) {}

    /** One wrk run: requests completed, requests per second, non-2xx answers and socket errors. */
    private record Wrk(long requests, double rps, long failures) {

        private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
        private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
        private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
        private static final Pattern SOCKET_ERRORS =
                Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

        static Wrk run(String url, Duration duration) throws IOException, InterruptedException {
            var command = List.of(
                    "wrk",
                    "-t1",
                    "-c" + CONNECTIONS,
                    "-d" + duration.toSeconds() + "s",
                    "-H",
                    "X-API-Key: " + KEY,
                    url);
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("wrk failed: " + output);
            }
            long failures = count(NON_2XX, output);
            var socket = SOCKET_ERRORS.matcher(output);
            if (socket.find()) {
                for (int group = 1; group <= 4; group++) {
                    failures += Long.parseLong(socket.group(group));
                }
            }
            return new Wrk(count(REQUESTS, output), Double.parseDouble(text(RATE, output)), failures);
        }

        private static long count(Pattern pattern, String output) {
            var matcher = pattern.matcher(output);
            return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
        }

        private static String text(Pattern pattern, String output) {
            var matcher = pattern.matcher(output);
            if (!matcher.find()) {
                throw new IllegalStateException("unexpected wrk output: " + output);
            }
            return matcher.group(1);
        }
    }

    /** nginx from the Debian package in the foreground: a fixed JSON answer, and a keep-alive proxy to it. */
    private record Nginx(Process process, int upstreamPort, int proxyPort) {

        static Nginx start() {
            try {
                int upstream = freePort();
                int proxy = freePort();
                var dir = Files.createTempDirectory("bench-nginx");
                var config = dir.resolve("nginx.conf");
                Files.writeString(
                        config,
                        """
                        daemon off;
                        worker_processes 1;
                        pid %1$s/nginx.pid;
                        error_log %1$s/error.log warn;
                        events { worker_connections 4096; }
                        http {
                          access_log off;
                          client_body_temp_path %1$s;
                          proxy_temp_path %1$s;
                          server {
                            listen 127.0.0.1:%2$d;
                            location / { default_type application/json; return 200 '{"success":true,"data":[]}'; }
                          }
                          upstream service { server 127.0.0.1:%2$d; keepalive 64; }
                          server {
                            listen 127.0.0.1:%3$d;
                            location / {
                              proxy_pass http://service;
                              proxy_http_version 1.1;
                              proxy_set_header Connection "";
                              proxy_buffering off;
                            }
                          }
                        }
                        """
                                .formatted(dir, upstream, proxy));
                var process = new ProcessBuilder(nginx(), "-c", config.toString(), "-p", dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("out.log").toFile())
                        .start();
                awaitListening(upstream, process);
                awaitListening(proxy, process);
                return new Nginx(process, upstream, proxy);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start nginx (apt-get install nginx wrk)", e);
            }
        }

        void stop() {
            process.destroy();
        }

        private static String nginx() {
            for (var candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx")) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return candidate;
                }
            }
            return "nginx";
        }

        private static void awaitListening(int port, Process process) {
            Polling.until(Duration.ofSeconds(10), () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("nginx exited with " + process.exitValue());
                }
                try (var socket = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            });
        }

        private static int freePort() throws IOException {
            try (var socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
