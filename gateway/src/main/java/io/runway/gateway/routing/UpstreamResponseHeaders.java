package io.runway.gateway.routing;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The service's response headers without its hop-by-hop headers and those its {@code Connection} header names, as
 * Spring Cloud Gateway's hop-by-hop filter does, but copied only when there is one to leave out.
 */
final class UpstreamResponseHeaders implements HttpHeadersFilter, Ordered {

    private final Set<String> hopByHop;

    UpstreamResponseHeaders(Collection<String> hopByHop) {
        var names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(hopByHop);
        this.hopByHop = names;
    }

    @Override
    public HttpHeaders filter(HttpHeaders received, ServerWebExchange exchange) {
        List<String> connectionOptions =
                received.containsHeader(HttpHeaders.CONNECTION) ? received.getConnection() : List.of();
        var found = new boolean[1];
        received.forEach((name, values) -> found[0] |= removed(name, connectionOptions));
        if (!found[0]) {
            return received;
        }
        var passed = new HttpHeaders();
        received.forEach((name, values) -> {
            if (!removed(name, connectionOptions)) {
                passed.addAll(name, values);
            }
        });
        return passed;
    }

    private boolean removed(String name, List<String> connectionOptions) {
        return hopByHop.contains(name) || UpstreamRequestHeaders.containsIgnoringCase(connectionOptions, name);
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
