package io.runway.run.face;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalToken;
import io.runway.common.auth.InternalTokenVerifier;
import io.runway.common.web.AccessLog;
import io.runway.common.web.RequestIds;
import io.runway.run.stream.RunEventStreams;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Opens the stream endpoints' streams ahead of WebFlux: a caller with a valid user token, a well-formed run id and
 * {@code Last-Event-ID}, whose run is found and still has events to send, gets its stream without a web exchange, the
 * filter chain, handler mapping and argument resolution — by a JFR and perf profile most of a connect's CPU, and what
 * an open stream kept on the heap. Every other request, every refusal and the 204 at the end of a run go through
 * WebFlux as before (the same checks again there), so the error bodies stay each face's.
 */
@Component
class DirectStreams implements HttpHandlerDecoratorFactory {

    private final ObjectProvider<StreamEndpoint> endpoints;
    private final RunEventStreams streams;
    private final InternalTokenVerifier verifier;
    private final boolean logSuccesses;
    private volatile List<StreamEndpoint.Route> routes;

    DirectStreams(
            ObjectProvider<StreamEndpoint> endpoints,
            RunEventStreams streams,
            InternalTokenVerifier verifier,
            @Value("${app.access-log.successes:true}") boolean logSuccesses) {
        this.endpoints = endpoints;
        this.streams = streams;
        this.verifier = verifier;
        this.logSuccesses = logSuccesses;
    }

    @Override
    public HttpHandler apply(HttpHandler webFlux) {
        return (request, response) -> {
            var opening = opening(request);
            if (opening == null) {
                return webFlux.handle(request, response);
            }
            Supplier<Mono<Void>> viaWebFlux = () -> webFlux.handle(request, response);
            return streams.open(
                            opening.tenant(),
                            opening.runId(),
                            opening.lastEventId(),
                            opening.route().format())
                    .map(stream -> streaming(request, response, () -> SseResponses.streaming(response, stream)))
                    .onErrorResume(e -> Mono.empty())
                    .defaultIfEmpty(Mono.defer(viaWebFlux))
                    .flatMap(writing -> writing);
        };
    }

    private Mono<Void> streaming(ServerHttpRequest request, ServerHttpResponse response, Supplier<Mono<Void>> write) {
        var requestId = RequestIds.acceptOrCreate(request.getHeaders().getFirst(RequestIds.HEADER));
        response.getHeaders().set(RequestIds.HEADER, requestId);
        var context = Context.of(RequestIds.CONTEXT_KEY, requestId);
        long started = System.nanoTime();
        return write.get()
                .doFinally(signal -> accessLine(request, context, started))
                .contextWrite(context);
    }

    private record Opening(StreamEndpoint.Route route, String tenant, UUID runId, Long lastEventId) {}

    /** The stream this request opens when it is a well-formed, authorized stream request; else null. */
    private Opening opening(ServerHttpRequest request) {
        if (request.getMethod() != HttpMethod.GET) {
            return null;
        }
        var path = request.getPath().pathWithinApplication().value();
        for (var route : routes()) {
            if (path.length() > route.prefix().length() + route.suffix().length()
                    && path.startsWith(route.prefix())
                    && path.endsWith(route.suffix())) {
                var rawId = path.substring(
                        route.prefix().length(), path.length() - route.suffix().length());
                return rawId.indexOf('/') < 0 ? opening(request, route, rawId) : null;
            }
        }
        return null;
    }

    private Opening opening(ServerHttpRequest request, StreamEndpoint.Route route, String rawId) {
        var headers = request.getHeaders();
        try {
            CallerPrincipal caller = verifier.verify(headers.getFirst(InternalToken.HEADER));
            if (!caller.isUser() || caller.tenant() == null || caller.tenant().isBlank()) {
                return null;
            }
            var runId = Params.uuid("path", route.idName(), rawId);
            var lastEventId = SseResponses.lastEventId(headers.getFirst("Last-Event-ID"));
            return new Opening(route, caller.tenant(), runId, lastEventId);
        } catch (RuntimeException refused) {
            return null;
        }
    }

    private List<StreamEndpoint.Route> routes() {
        var known = routes;
        if (known == null) {
            known = endpoints.orderedStream().map(StreamEndpoint::route).toList();
            routes = known;
        }
        return known;
    }

    private void accessLine(ServerHttpRequest request, Context context, long started) {
        if (logSuccesses && AccessLog.enabled()) {
            RequestIds.inMdc(context, () -> AccessLog.write(request, 200, started));
        }
    }
}
