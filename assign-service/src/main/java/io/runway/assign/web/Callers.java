package io.runway.assign.web;

import io.runway.common.auth.CallerPrincipal;

/** Who may call which API face: assign servers the Assign API, operators the admin API. */
public final class Callers {

    private Callers() {}

    public static void requireAssignServer(CallerPrincipal caller) {
        if (!caller.isAssignServer()) {
            throw AssignApiException.unauthorized("the Assign API requires the key of a server with service 'assign'");
        }
    }

    public static void requireAdmin(CallerPrincipal caller) {
        if (!caller.isAdmin()) {
            throw AssignApiException.forbidden("the admin API requires an operator");
        }
    }
}
