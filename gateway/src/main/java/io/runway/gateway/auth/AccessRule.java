package io.runway.gateway.auth;

/** Which credentials a public path accepts (docs/gateway.md, "Authentication"). */
enum AccessRule {
    /** The services' OpenAPI descriptions ({@code /v3/api-docs/{service}}): no credentials, none forwarded. */
    PUBLIC_DOCUMENT,
    /** Worker API ({@code health}, {@code tasks}, {@code logs}, {@code callback}): any serving server's X-API-Key. */
    SERVER_KEY,
    /** Assign API ({@code servers}, {@code requests}, {@code links}, {@code sites}, {@code accounts}, {@code settings}). */
    ASSIGN_KEY,
    /** Admin API: X-Admin-Key or a JWT with the admin role. */
    ADMIN,
    /** SocialKing run face: a Bearer JWT (seed 000), or the {@code vai_token} cookie for browsers (an addition). */
    BEARER_USER,
    /** Generic face and automations: a Bearer JWT, a user token in X-API-Key, or the {@code vai_token} cookie (seed 003). */
    ANY_USER_CREDENTIAL;

    private static final String WORKER = "/api/v1/worker/";

    static AccessRule of(String path) {
        if (path.startsWith("/v3/api-docs/")) {
            return PUBLIC_DOCUMENT;
        }
        if (path.startsWith("/api/v1/admin/")) {
            return ADMIN;
        }
        if (path.startsWith(WORKER)) {
            var rest = path.substring(WORKER.length());
            var first = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            return switch (first) {
                case "health", "tasks", "logs", "callback" -> SERVER_KEY;
                default -> ASSIGN_KEY;
            };
        }
        if (path.startsWith("/api/v1/automation/run/")) {
            return BEARER_USER;
        }
        return ANY_USER_CREDENTIAL;
    }
}
