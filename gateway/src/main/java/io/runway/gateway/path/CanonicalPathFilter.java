package io.runway.gateway.path;

import io.runway.gateway.error.ErrorResponses;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses, before authentication, rate limiting and routing, every API path that is not already in its one canonical
 * form. Routing matches decoded segments without matrix parameters, while the access rules and the rate-limit rules
 * read the path as sent; a path that means the same thing written two ways could otherwise be judged by one rule and
 * routed by another. So each decision sees the raw path, and the raw path must be canonical.
 */
@Component
final class CanonicalPathFilter implements WebFilter, Ordered {

    private final ErrorResponses errors;

    CanonicalPathFilter(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var rawPath = exchange.getRequest().getURI().getRawPath();
        var problem = CanonicalPath.problemOf(rawPath);
        if (problem == null) {
            return chain.filter(exchange);
        }
        return errors.write(exchange, HttpStatus.BAD_REQUEST, "invalid_path", "Path is not canonical: " + problem);
    }

    @Override
    public int getOrder() {
        // after the request id (access log) and the route metrics, before everything that decides
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }
}
