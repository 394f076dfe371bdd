package io.runway.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * A throwaway HTTP server standing in for one backing service in gateway tests: it answers with its name, the path and
 * the request id it received, and remembers the headers of the last request. Event-stream paths send one event, then
 * a second only when the test releases it. Paths ending in {@code /slow} answer after two seconds; in {@code /flaky},
 * 503 to every odd-numbered request to them (the first, the third...); in {@code /down}, 503 to every request; in
 * {@code /echo}, the request's body; in {@code /hop}, with hop-by-hop headers ({@code Proxy-Authenticate},
 * {@code Keep-Alive}) beside {@code X-Kept}. It speaks HTTP/1.1 and HTTP/2 cleartext (the gateway reaches
 * run-service's event streams over h2c with RUN_SERVICE_H2C=true). Registered as a static extension
 * ({@code @RegisterExtension}) it stops after the test class.
 */
final class Upstream implements AutoCloseable, AfterAllCallback {

    final Sinks.Empty<Void> releaseSecondEvent = Sinks.empty();
    final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> requestsByPath = new ConcurrentHashMap<>();
    private volatile Map<String, String> lastHeaders = Map.of();
    private volatile String lastProtocol;
    private final DisposableServer server;

    Upstream(String name) {
        this.server = HttpServer.create()
                .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> {
                    requests.incrementAndGet();
                    int toPath = requestsByPath
                            .computeIfAbsent("/" + request.path(), p -> new AtomicInteger())
                            .incrementAndGet();
                    var headers = new ConcurrentHashMap<String, String>();
                    request.requestHeaders()
                            .forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(), h.getValue()));
                    lastHeaders = headers;
                    lastProtocol = request.version().text();
                    if (request.path().endsWith("sse") || request.path().endsWith("events")) {
                        return response.header("Content-Type", "text/event-stream")
                                .sendString(Flux.concat(
                                        Mono.just("data: first\n\n"),
                                        releaseSecondEvent.asMono().then(Mono.just("data: second\n\n"))))
                                .then();
                    }
                    var requestId = request.requestHeaders().get("X-Request-Id");
                    // as the real services do: the id goes back in the response
                    if (requestId != null) {
                        response.header("X-Request-Id", requestId);
                    }
                    var body = Mono.just(name + " /" + request.path() + " " + requestId);
                    if (request.path().endsWith("/hop")) {
                        response.header("Proxy-Authenticate", "Basic realm=upstream")
                                .header("Keep-Alive", "timeout=5")
                                .header("X-Kept", "yes");
                    }
                    if (request.path().endsWith("/echo")) {
                        return response.send(request.receive().retain()).then();
                    }
                    if ((request.path().endsWith("/flaky") && toPath % 2 == 1)
                            || request.path().endsWith("/down")) {
                        return request.receive()
                                .then()
                                .then(response.status(503).sendString(body).then());
                    }
                    if (request.path().endsWith("/slow")) {
                        body = body.delayElement(Duration.ofSeconds(2));
                    }
                    return request.receive()
                            .then()
                            .then(response.sendString(body).then());
                })
                .bindNow();
    }

    /** Verifies an event stream from this upstream: "first", then nothing for {@code quiet}, then "second" once released. */
    void verifyHeldStream(Flux<String> events, Duration quiet) {
        StepVerifier.create(events)
                .expectNext("first")
                .expectNoEvent(quiet)
                .then(releaseSecondEvent::tryEmitEmpty)
                .expectNext("second")
                .thenCancel()
                .verify(Duration.ofSeconds(15));
    }

    /** The protocol of the last request this server received ("HTTP/1.1", "HTTP/2.0"), or null. */
    String lastProtocol() {
        return lastProtocol;
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** How many requests this server received for {@code path} (as the caller wrote it, without the query). */
    int requestsTo(String path) {
        var count = requestsByPath.get(path);
        return count == null ? 0 : count.get();
    }

    /** Header of the last request this server received (names in lower case), or null. */
    String lastHeader(String name) {
        return lastHeaders.get(name.toLowerCase());
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
