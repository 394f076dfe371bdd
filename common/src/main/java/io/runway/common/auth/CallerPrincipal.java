package io.runway.common.auth;

import java.util.Objects;

/**
 * The authenticated caller as carried by the internal token.
 *
 * @param kind what sort of caller this is
 * @param id server id, user id or admin name
 * @param tenant the user's tenant; {@code null} for servers and admins
 * @param service the server's {@code service} column ({@code tool}, {@code assign}…); {@code null} for others
 */
public record CallerPrincipal(PrincipalKind kind, String id, String tenant, String service) {

    public CallerPrincipal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static CallerPrincipal server(String id, String service) {
        return new CallerPrincipal(PrincipalKind.SERVER, id, null, service);
    }

    public static CallerPrincipal user(String id, String tenant) {
        return new CallerPrincipal(PrincipalKind.USER, id, Objects.requireNonNull(tenant, "tenant"), null);
    }

    public static CallerPrincipal admin(String id) {
        return new CallerPrincipal(PrincipalKind.ADMIN, id, null, null);
    }

    public boolean isServer() {
        return kind == PrincipalKind.SERVER;
    }

    public boolean isAssignServer() {
        return isServer() && "assign".equals(service);
    }

    public boolean isUser() {
        return kind == PrincipalKind.USER;
    }

    public boolean isAdmin() {
        return kind == PrincipalKind.ADMIN;
    }
}
