package io.runway.gateway.browser;

import io.runway.gateway.auth.SessionCookie;
import io.runway.gateway.error.ErrorResponses;
import java.net.URI;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Origins on the browser-facing paths, before anything authenticates:
 * <ul>
 *   <li>CORS: a listed origin ({@code app.cors.allowed-origins}) may call with credentials and read the rate-limit
 *       headers; its preflight is answered here, without credentials. Any other foreign origin is refused (403).
 *   <li>The admin API ({@code /api/v1/admin/**}) takes no foreign origin at all, listed or not.
 *   <li>CSRF: a state-changing request carrying the {@code vai_token} cookie and no {@code Authorization} header must
 *       show where it comes from ({@code Origin}, else {@code Referer}): this gateway's own origin or a listed one.
 *       A cookie is sent by the browser on its own; a header is not.
 * </ul>
 */
@Component
final class BrowserOriginFilter implements WebFilter, Ordered {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE";
    private static final String ALLOWED_HEADERS =
            "Authorization, Content-Type, Last-Event-ID, X-Request-Id, Idempotency-Key";
    private static final String EXPOSED_HEADERS =
            "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, X-Request-Id";

    private final BrowserProperties properties;
    private final ErrorResponses errors;

    BrowserOriginFilter(BrowserProperties properties, ErrorResponses errors) {
        this.properties = properties;
        this.errors = errors;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        if (!BrowserPaths.isBrowserFacing(request.getPath().value())) {
            return chain.filter(exchange);
        }
        var origin = request.getHeaders().getOrigin();
        boolean foreign = origin != null && !isOwn(origin, request);
        boolean listed = origin != null && isListed(origin, request);
        if (foreign && !listed) {
            return refuse(exchange, "Cross-origin requests from " + origin + " are not allowed");
        }
        if (isCookieAuthenticatedChange(request) && !comesFromAnAllowedOrigin(request)) {
            return refuse(exchange, "A cookie-authenticated change must come from this site or an allowed origin");
        }
        if (!foreign) {
            return chain.filter(exchange);
        }
        var headers = exchange.getResponse().getHeaders();
        headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        headers.add(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        if (isPreflight(request)) {
            headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
            headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
            headers.set(
                    HttpHeaders.ACCESS_CONTROL_MAX_AGE,
                    String.valueOf(properties.maxAge().toSeconds()));
            exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
            return exchange.getResponse().setComplete();
        }
        headers.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        return chain.filter(exchange);
    }

    private Mono<Void> refuse(ServerWebExchange exchange, String message) {
        return errors.write(exchange, HttpStatus.FORBIDDEN, "forbidden", message);
    }

    private boolean isCookieAuthenticatedChange(ServerHttpRequest request) {
        return !SAFE.contains(request.getMethod())
                && request.getCookies().containsKey(SessionCookie.NAME)
                && request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION) == null;
    }

    private boolean comesFromAnAllowedOrigin(ServerHttpRequest request) {
        var origin = request.getHeaders().getOrigin();
        if (origin == null) {
            origin = originOf(request.getHeaders().getFirst(HttpHeaders.REFERER));
        }
        return origin != null && (isOwn(origin, request) || isListed(origin, request));
    }

    /** A CORS origin of the run APIs and streams; the admin API is for the console on this gateway's own origin. */
    private boolean isListed(String origin, ServerHttpRequest request) {
        return !BrowserPaths.isAdmin(request.getPath().value())
                && properties.allowedOrigins().contains(origin);
    }

    private static boolean isPreflight(ServerHttpRequest request) {
        return request.getMethod() == HttpMethod.OPTIONS
                && request.getHeaders().getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }

    private static boolean isOwn(String origin, ServerHttpRequest request) {
        var own = originOf(request.getURI().toString());
        return origin.equals(own);
    }

    /** {@code scheme://host[:port]} of a URL, the port only when it is not the scheme's default; null if unparsable. */
    static String originOf(String url) {
        if (url == null) {
            return null;
        }
        try {
            var uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1
                    || (port == 80 && uri.getScheme().equals("http"))
                    || (port == 443 && uri.getScheme().equals("https"));
            return uri.getScheme() + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public int getOrder() {
        // after the canonical path check, before authentication and routing
        return Ordered.HIGHEST_PRECEDENCE + 3;
    }
}
