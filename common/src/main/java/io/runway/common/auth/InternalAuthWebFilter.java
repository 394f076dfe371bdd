package io.runway.common.auth;

import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Admits a request only when it carries a valid internal token, and exposes the caller as an exchange attribute.
 * Operational paths (actuator, OpenAPI) stay open: they are not routed through the gateway.
 */
public final class InternalAuthWebFilter implements WebFilter, Ordered {

    /** Exchange attribute holding the verified {@link CallerPrincipal}. */
    public static final String PRINCIPAL_ATTRIBUTE = CallerPrincipal.class.getName();

    private static final List<String> OPEN_PREFIXES = List.of("/actuator", "/v3/api-docs", "/swagger-ui", "/webjars");

    private final InternalTokenVerifier verifier;
    private final UnauthorizedBody unauthorizedBody;
    private final ServerCodecConfigurer codecs;

    public InternalAuthWebFilter(
            InternalTokenVerifier verifier, UnauthorizedBody unauthorizedBody, ServerCodecConfigurer codecs) {
        this.verifier = verifier;
        this.unauthorizedBody = unauthorizedBody;
        this.codecs = codecs;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (OPEN_PREFIXES.stream().anyMatch(path::startsWith)) {
            return chain.filter(exchange);
        }
        CallerPrincipal principal;
        try {
            principal = verifier.verify(exchange.getRequest().getHeaders().getFirst(InternalToken.HEADER));
        } catch (InvalidInternalTokenException e) {
            return reject(exchange, e.getMessage());
        }
        exchange.getAttributes().put(PRINCIPAL_ATTRIBUTE, principal);
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @SuppressWarnings("unchecked")
    private Mono<Void> reject(ServerWebExchange exchange, String message) {
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        Object body = unauthorizedBody.of(exchange, message);
        var type = ResolvableType.forInstance(body);
        return codecs.getWriters().stream()
                .filter(w -> w.canWrite(type, MediaType.APPLICATION_JSON))
                .findFirst()
                .map(w -> ((HttpMessageWriter<Object>) w)
                        .write(Mono.just(body), type, MediaType.APPLICATION_JSON, response, Map.of()))
                .orElseGet(response::setComplete);
    }
}
