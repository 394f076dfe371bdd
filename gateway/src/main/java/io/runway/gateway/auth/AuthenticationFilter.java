package io.runway.gateway.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.auth.CallerPrincipal;
import io.runway.gateway.error.ErrorResponses;
import io.runway.gateway.metrics.Outcomes;
import io.runway.gateway.warmup.WarmUpRequests;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Authenticates every routed request by the rule of its path and keeps the caller on the exchange: the request is
 * forwarded with the identity headers from outside and the caller's raw credentials removed, and an internal token
 * carrying the principal ({@link ForwardedIdentity}, when the forwarded headers are written).
 */
@Component
public final class AuthenticationFilter implements GlobalFilter, Ordered {

    /** Exchange attribute holding the authenticated {@link CallerPrincipal}. */
    public static final String PRINCIPAL_ATTRIBUTE = AuthenticationFilter.class.getName() + ".principal";

    /** Exchange attribute holding the authenticated {@link Caller}, whose token {@link ForwardedIdentity} forwards. */
    static final String CALLER_ATTRIBUTE = AuthenticationFilter.class.getName() + ".caller";

    public static final int ORDER = -300;

    private final ApiKeyAuthenticator apiKeys;
    private final JwtAuthenticator jwts;
    private final AdminSessions adminSessions;
    private final ErrorResponses errors;
    private final MeterRegistry meters;
    // gateway.auth.failures by route id, then reason, registered on first use: refused requests cost no meter lookup
    private final Map<String, Map<String, Counter>> failures = new ConcurrentHashMap<>();

    AuthenticationFilter(
            ApiKeyAuthenticator apiKeys,
            JwtAuthenticator jwts,
            AdminSessions adminSessions,
            ErrorResponses errors,
            MeterRegistry meters) {
        this.apiKeys = apiKeys;
        this.jwts = jwts;
        this.adminSessions = adminSessions;
        this.errors = errors;
        this.meters = meters;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        var request = exchange.getRequest();
        var rule = AccessRule.of(request.getPath().value());
        if (rule == AccessRule.PUBLIC_DOCUMENT) {
            return chain.filter(exchange);
        }
        var authenticated = WarmUpRequests.isWarmUp(exchange)
                ? Mono.just(Caller.once(warmUpPrincipal(rule)))
                : authenticate(rule, Credentials.of(request));
        return authenticated
                .flatMap(caller -> {
                    exchange.getAttributes().put(PRINCIPAL_ATTRIBUTE, caller.principal());
                    exchange.getAttributes().put(CALLER_ATTRIBUTE, caller);
                    return chain.filter(exchange);
                })
                .onErrorResume(AuthenticationException.class, e -> reject(exchange, rule, e));
    }

    private Mono<Caller> authenticate(AccessRule rule, Credentials credentials) {
        return switch (rule) {
            case SERVER_KEY -> apiKeys.authenticate(credentials.apiKey(), false);
            case ASSIGN_KEY -> apiKeys.authenticate(credentials.apiKey(), true);
            case ADMIN -> admin(credentials).map(Caller::once);
            case PUBLIC_DOCUMENT -> Mono.error(new IllegalStateException("public documents need no principal"));
            case BEARER_USER -> bearerUser(credentials);
            case ANY_USER_CREDENTIAL -> anyUserCredential(credentials);
        };
    }

    /** The gateway's own warm-up requests (never from outside: see {@link WarmUpRequests}) act as this principal. */
    private static CallerPrincipal warmUpPrincipal(AccessRule rule) {
        return switch (rule) {
            case SERVER_KEY -> CallerPrincipal.server("warm-up", "tool");
            case ASSIGN_KEY -> CallerPrincipal.server("warm-up", "assign");
            case ADMIN -> CallerPrincipal.admin("warm-up");
            default -> CallerPrincipal.user("warm-up", "warm-up");
        };
    }

    private Mono<CallerPrincipal> admin(Credentials credentials) {
        if (credentials.adminKey() != null) {
            if (adminSessions.isAdminKey(credentials.adminKey())) {
                return Mono.just(CallerPrincipal.admin("admin-key"));
            }
            return Mono.error(new AuthenticationException("invalid_admin_key", "Invalid admin key"));
        }
        if (credentials.bearer() != null) {
            return jwts.admin(credentials.bearer());
        }
        // the console: a session opened with the admin key, or an admin JWT the operator signed in with
        if (credentials.cookieToken() != null) {
            var token = credentials.cookieToken();
            return AdminSessions.isSessionToken(token)
                    ? Mono.fromCallable(() -> adminSessions.verify(token).principal())
                    : jwts.admin(token);
        }
        return Mono.error(missing("X-Admin-Key header, Bearer token or admin vai_token cookie required"));
    }

    private Mono<Caller> bearerUser(Credentials credentials) {
        if (credentials.bearer() != null) {
            return jwts.user(credentials.bearer());
        }
        // an addition to seed 000 for browsers, whose EventSource cannot send an Authorization header
        if (credentials.cookieToken() != null) {
            return jwts.user(credentials.cookieToken());
        }
        return Mono.error(missing("Bearer token or vai_token cookie required"));
    }

    private Mono<Caller> anyUserCredential(Credentials credentials) {
        if (credentials.bearer() != null) {
            return jwts.user(credentials.bearer());
        }
        if (credentials.apiKey() != null) {
            // On the run APIs X-API-Key carries a user API token (a JWT); a LIKEPION server key is not a user.
            if (credentials.apiKey().chars().filter(c -> c == '.').count() != 2) {
                return Mono.error(new AuthenticationException(
                        "invalid_api_key", "X-API-Key here must be a user API token; server keys are not accepted"));
            }
            return jwts.user(credentials.apiKey());
        }
        if (credentials.cookieToken() != null) {
            return jwts.user(credentials.cookieToken());
        }
        return Mono.error(missing("Authorization, X-API-Key or vai_token cookie required"));
    }

    private AuthenticationException missing(String message) {
        return new AuthenticationException("missing_credentials", message);
    }

    private Mono<Void> reject(ServerWebExchange exchange, AccessRule rule, AuthenticationException e) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        failureCounter(route == null ? "none" : route.getId(), e.reason()).increment();
        exchange.getAttributes().put(Outcomes.AUTH_FAILURE_ATTRIBUTE, Boolean.TRUE);
        if ("forbidden_role".equals(e.reason())) {
            return errors.write(exchange, HttpStatus.FORBIDDEN, "forbidden", e.getMessage());
        }
        if (rule == AccessRule.BEARER_USER || rule == AccessRule.ANY_USER_CREDENTIAL) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return errors.write(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", e.getMessage());
    }

    private Counter failureCounter(String routeId, String reason) {
        return failures.computeIfAbsent(routeId, id -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        reason, why -> meters.counter("gateway.auth.failures", "route", routeId, "reason", why));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
