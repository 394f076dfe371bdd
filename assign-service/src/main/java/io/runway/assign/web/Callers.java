package io.runway.assign.web;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;

/** Who may call which API face: assign servers the Assign API, operators the admin API. */
public final class Callers {

    private Callers() {}

    public static CallerPrincipal requireAssignServer(CallerPrincipal principal) {
        if (!principal.isAssignServer()) {
            throw ApiException.unauthorized("the Assign API requires the key of a server with service 'assign'");
        }
        return principal;
    }

    public static CallerPrincipal requireAdmin(CallerPrincipal principal) {
        if (!principal.isAdmin()) {
            throw ApiException.forbidden("the admin API requires an operator");
        }
        return principal;
    }
}
