package io.runway.assign.web;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalAuthWebFilter;
import io.runway.common.error.ApiException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who may call which API face: assign servers the Assign API, operators the admin API. Reads the caller that
 * {@link InternalAuthWebFilter} verified straight from the exchange.
 */
public final class Callers {

    private Callers() {}

    public static CallerPrincipal requireAssignServer(ServerWebExchange exchange) {
        CallerPrincipal principal = exchange.getAttribute(InternalAuthWebFilter.PRINCIPAL_ATTRIBUTE);
        if (principal == null || !principal.isAssignServer()) {
            throw ApiException.unauthorized("the Assign API requires the key of a server with service 'assign'");
        }
        return principal;
    }

    public static CallerPrincipal requireAdmin(ServerWebExchange exchange) {
        CallerPrincipal principal = exchange.getAttribute(InternalAuthWebFilter.PRINCIPAL_ATTRIBUTE);
        if (principal == null) {
            throw ApiException.unauthorized("missing internal token");
        }
        if (!principal.isAdmin()) {
            throw ApiException.forbidden("the admin API requires an operator");
        }
        return principal;
    }
}
