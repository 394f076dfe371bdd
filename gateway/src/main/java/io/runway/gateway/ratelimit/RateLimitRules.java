package io.runway.gateway.ratelimit;

import java.util.List;
import java.util.Optional;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** Finds the rate-limit rule that applies to a request: the first configured one that matches. */
@Component
class RateLimitRules {

    private final List<CompiledRule> rules;

    RateLimitRules(RateLimitProperties properties) {
        var parser = PathPatternParser.defaultInstance;
        this.rules = properties.rules().stream()
                .map(rule -> new CompiledRule(
                        rule, rule.paths().stream().map(parser::parse).toList()))
                .toList();
    }

    Optional<RateLimitProperties.Rule> match(String routeId, String method, PathContainer path) {
        for (var rule : rules) {
            if (rule.matches(routeId, method, path)) {
                return Optional.of(rule.rule());
            }
        }
        return Optional.empty();
    }

    private record CompiledRule(RateLimitProperties.Rule rule, List<PathPattern> patterns) {

        boolean matches(String routeId, String method, PathContainer path) {
            if (!rule.routes().isEmpty() && !rule.routes().contains(routeId)
                    || !rule.methods().isEmpty() && !rule.methods().contains(method)) {
                return false;
            }
            if (patterns.isEmpty()) {
                return true;
            }
            for (var pattern : patterns) {
                if (pattern.matches(path)) {
                    return true;
                }
            }
            return false;
        }
    }
}
