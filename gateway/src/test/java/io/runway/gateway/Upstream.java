package io.runway.gateway;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A throwaway HTTP server standing in for one backing service in routing tests: it answers with its name, the path and
 * the request id it received; event-stream paths send one event, then a second only when the test releases it.
 */
final class Upstream implements AutoCloseable {

    final Sinks.Empty<Void> releaseSecondEvent = Sinks.empty();
    private final DisposableServer server;

    Upstream(String name) {
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> {
                    if (request.path().endsWith("sse") || request.path().endsWith("events")) {
                        return response.header("Content-Type", "text/event-stream")
                                .sendString(Flux.concat(
                                        Mono.just("data: first\n\n"),
                                        releaseSecondEvent.asMono().then(Mono.just("data: second\n\n"))))
                                .then();
                    }
                    var requestId = request.requestHeaders().get("X-Request-Id");
                    return response.sendString(Mono.just(name + " /" + request.path() + " " + requestId))
                            .then();
                })
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
