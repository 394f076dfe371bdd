package io.runway.gateway.path;

import java.util.List;
import java.util.function.Predicate;
import org.springframework.cloud.gateway.handler.predicate.AbstractRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.cloud.gateway.handler.predicate.PathRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.PathRoutePredicateFactory.Config;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The route predicate {@code PathAsSent}: Spring Cloud Gateway's {@code Path}, with the same arguments, that also
 * requires the path as sent to begin with the literal part of one of its patterns (the part before the first wildcard
 * segment). {@code Path} matches decoded segments, so {@code /%61pi/v1/...} would reach a route whose access rule was
 * chosen for another path; here it reaches none. And a request is tried against each route in turn: a
 * {@code startsWith} turns away the routes it cannot take before any pattern is walked (route matching was the largest
 * cost the gateway's routes added in the profile).
 */
@Component
final class PathAsSentRoutePredicateFactory extends AbstractRoutePredicateFactory<Config> {

    private final PathRoutePredicateFactory path;

    PathAsSentRoutePredicateFactory(PathRoutePredicateFactory path) {
        super(Config.class);
        this.path = path;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return path.shortcutFieldOrder();
    }

    @Override
    public ShortcutType shortcutType() {
        return path.shortcutType();
    }

    @Override
    public Predicate<ServerWebExchange> apply(Config config) {
        var prefixes = config.getPatterns().stream()
                .map(PathAsSentRoutePredicateFactory::literalPrefix)
                .distinct()
                .toArray(String[]::new);
        var decoded = path.apply(config);
        return new GatewayPredicate() {
            @Override
            public boolean test(ServerWebExchange exchange) {
                var sent = exchange.getRequest().getURI().getRawPath();
                for (var prefix : prefixes) {
                    if (sent.startsWith(prefix)) {
                        return decoded.test(exchange);
                    }
                }
                return false;
            }

            @Override
            public Object getConfig() {
                return config;
            }

            @Override
            public String toString() {
                return "Paths as sent: " + config.getPatterns();
            }
        };
    }

    /** {@code /a/b/**} and {@code /a/b/*}{@code /c}: {@code /a/b}; a pattern without wildcards: itself. */
    static String literalPrefix(String pattern) {
        int wildcard = firstWildcard(pattern);
        return wildcard < 0 ? pattern : pattern.substring(0, Math.max(0, pattern.lastIndexOf('/', wildcard)));
    }

    private static int firstWildcard(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '{') {
                return i;
            }
        }
        return -1;
    }
}
