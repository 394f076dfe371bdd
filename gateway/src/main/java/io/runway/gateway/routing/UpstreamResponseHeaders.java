package io.runway.gateway.routing;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The service's response headers without its hop-by-hop headers and those its {@code Connection} header names, as
 * Spring Cloud Gateway's hop-by-hop filter does, but copied only when there is one to leave out.
 */
final class UpstreamResponseHeaders implements HttpHeadersFilter, Ordered {

    private final HopByHop hopByHop;

    UpstreamResponseHeaders(HopByHop hopByHop) {
        this.hopByHop = hopByHop;
    }

    @Override
    public HttpHeaders filter(HttpHeaders received, ServerWebExchange exchange) {
        var connectionOptions = hopByHop.connectionOptions(received);
        if (!hopByHop.removesAny(received, connectionOptions)) {
            return received;
        }
        var passed = new HttpHeaders();
        received.forEach((name, values) -> {
            if (!hopByHop.removes(name, connectionOptions)) {
                passed.addAll(name, values);
            }
        });
        return passed;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.RESPONSE;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
