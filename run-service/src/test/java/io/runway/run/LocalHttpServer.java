package io.runway.run;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A throwaway HTTP server on 127.0.0.1 for the {@code http} step, with a few scripted endpoints; registered as a
 * static extension it closes after the test class.
 */
final class LocalHttpServer implements AutoCloseable, AfterAllCallback {

    final Map hits = new Map();
    final AtomicInteger flaky = new AtomicInteger();
    final AtomicReference<Integer> toggleStatus = new AtomicReference<>(400);
    final Sinks.Many<String> hangCanceled = Sinks.many().replay().all();
    private final Sinks.One<Void> barrier = Sinks.one();
    private final AtomicInteger barrierArrivals = new AtomicInteger();
    private final DisposableServer server;

    LocalHttpServer() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/ok", (req, res) -> {
                            hits.hit("ok");
                            return res.header("Content-Type", "application/json")
                                    .sendString(Mono.just("{\"status\":\"fine\",\"n\":7}"));
                        })
                        .post("/echo", (req, res) -> res.header("Content-Type", "application/json")
                                .sendString(req.receive().aggregate().asString().defaultIfEmpty("")))
                        .get("/big", (req, res) -> res.sendString(Mono.just("x".repeat(5000))))
                        .get("/flaky", (req, res) -> {
                            // Fails twice with 503, then answers.
                            var n = flaky.incrementAndGet();
                            return n <= 2
                                    ? res.status(503).sendString(Mono.just("busy"))
                                    : res.sendString(Mono.just("{\"attempt\":" + n + "}"));
                        })
                        .get("/toggle", (req, res) -> res.status(toggleStatus.get())
                                .sendString(Mono.just("{\"toggle\":true}")))
                        .get("/barrier", (req, res) -> {
                            if (barrierArrivals.incrementAndGet() >= 2) {
                                barrier.tryEmitEmpty();
                            }
                            return barrier.asMono()
                                    .timeout(java.time.Duration.ofSeconds(5))
                                    .then(Mono.just("{\"together\":true}"))
                                    .onErrorResume(e -> Mono.just("alone"))
                                    .flatMap(text -> Mono.from(res.status(text.equals("alone") ? 500 : 200)
                                            .sendString(Mono.just(text))));
                        })
                        .get("/hang/{id}", (req, res) -> hang(req.param("id")))
                        .post("/hang/{id}", (req, res) -> hang(req.param("id"))))
                .bindNow();
    }

    private Mono<Void> hang(String id) {
        return Mono.<Void>never().doOnCancel(() -> hangCanceled.tryEmitNext(id));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Counts hits per endpoint. */
    static final class Map {

        private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        void hit(String name) {
            counts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        }

        int count(String name) {
            return counts.getOrDefault(name, new AtomicInteger()).get();
        }
    }
}
