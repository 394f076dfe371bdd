package io.runway.gateway.auth;

import io.runway.common.auth.InternalToken;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The identity a request carries to its service: none of the identity headers that could come from outside
 * ({@code app.auth.stripped-headers}, the internal token always among them), none of the caller's raw credentials
 * ({@code Authorization}, {@code X-API-Key}, {@code X-Admin-Key}, the {@code vai_token} cookie; other cookies pass),
 * and the internal token of the principal {@link AuthenticationFilter} authenticated, if it authenticated one. Written
 * into the forwarded headers in their one pass ({@code routing.UpstreamRequestHeaders}).
 */
@Component
public final class ForwardedIdentity {

    private final ForwardedTokens tokens;
    private final Set<String> removedHeaders;

    ForwardedIdentity(ForwardedTokens tokens, AuthProperties properties) {
        this.tokens = tokens;
        var removed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        removed.addAll(properties.strippedHeaders());
        removed.addAll(
                List.of(InternalToken.HEADER, HttpHeaders.AUTHORIZATION, Credentials.API_KEY, Credentials.ADMIN_KEY));
        this.removedHeaders = Collections.unmodifiableSet(removed);
    }

    /** The caller's headers that never reach a service (case-insensitive). */
    public Set<String> removedHeaders() {
        return removedHeaders;
    }

    /** Whether the caller sent the {@code vai_token} cookie, which {@link #cookiesWithoutToken} then leaves out. */
    public boolean sentTokenCookie(ServerWebExchange exchange) {
        return exchange.getRequest().getCookies().containsKey(Credentials.TOKEN_COOKIE);
    }

    /** The caller's cookies without {@code vai_token}, as one {@code Cookie} header; null when none is left. */
    public String cookiesWithoutToken(ServerWebExchange exchange) {
        var others = exchange.getRequest().getCookies().values().stream()
                .flatMap(List::stream)
                .filter(c -> !c.getName().equals(Credentials.TOKEN_COOKIE))
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        return others.isEmpty() ? null : others;
    }

    /** Adds the internal token of the request's authenticated caller; nothing for a request that has none. */
    public void write(HttpHeaders forwarded, ServerWebExchange exchange) {
        Caller caller = exchange.getAttribute(AuthenticationFilter.CALLER_ATTRIBUTE);
        if (caller != null) {
            forwarded.set(InternalToken.HEADER, tokens.tokenFor(caller));
        }
    }
}
