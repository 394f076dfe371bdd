package io.runway.common.web;

import io.runway.common.tracing.UnsampledTrace;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} or a new one), echoes it in the response, passes it on
 * to anything the request calls (the gateway forwards request headers), puts it in the logging context, and writes one
 * access-log line per request: method, path, status, duration. Never query strings or headers, which may hold keys.
 */
public final class RequestIdWebFilter implements WebFilter, Ordered {

    static {
        RequestIds.register();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var requestId =
                RequestIds.acceptOrCreate(exchange.getRequest().getHeaders().getFirst(RequestIds.HEADER));
        exchange.getAttributes().put(RequestIds.ATTRIBUTE, requestId);
        var mutated = setOnRequest
                ? exchange.mutate()
                        .request(r -> r.headers(h -> h.set(RequestIds.HEADER, requestId)))
                        .build()
                : exchange;
        // set when the response is committed, over whatever a proxied service answered, so the id is sent once
        mutated.getResponse().beforeCommit(() -> {
            mutated.getResponse().getHeaders().set(RequestIds.HEADER, requestId);
            return Mono.empty();
        });
        long started = System.nanoTime();
        var unsampled = UnsampledTrace.of(exchange.getAttributes());
        return chain.filter(mutated)
                .doFinally(signal -> logAccess(mutated, requestId, started))
                .contextWrite(ctx -> unsampled == null
                        ? ctx.put(RequestIds.CONTEXT_KEY, requestId)
                        : ctx.put(RequestIds.CONTEXT_KEY, requestId).put(UnsampledTrace.KEY, unsampled));
    }

    private final boolean logSuccesses;
    private final boolean setOnRequest;

    /**
     * @param logSuccesses whether 1xx–3xx answers get an access line too; the gateway writes only 4xx and 5xx lines,
     *     since the service that answered a proxied request writes its own line with the same request id
     * @param setOnRequest whether the request's headers get the id (a copy of all headers per request); the gateway
     *     leaves it to its one rewrite of the forwarded headers, which reads {@link RequestIds#of}
     */
    public RequestIdWebFilter(boolean logSuccesses, boolean setOnRequest) {
        this.logSuccesses = logSuccesses;
        this.setOnRequest = setOnRequest;
    }

    public RequestIdWebFilter(boolean logSuccesses) {
        this(logSuccesses, true);
    }

    private void logAccess(ServerWebExchange exchange, String requestId, long started) {
        var status = exchange.getResponse().getStatusCode();
        if (!AccessLog.enabled() || (!logSuccesses && (status == null || !status.isError()))) {
            return;
        }
        RequestIds.inMdc(
                exchange,
                requestId,
                () -> AccessLog.write(exchange.getRequest(), status == null ? 0 : status.value(), started));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
