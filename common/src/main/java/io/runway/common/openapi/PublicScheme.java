package io.runway.common.openapi;

import io.swagger.v3.oas.models.security.SecurityScheme;

/** The credentials the gateway accepts from callers; a service's description names the ones its paths take. */
public enum PublicScheme {
    BEARER("bearer") {
        @Override
        SecurityScheme scheme() {
            return new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .bearerFormat("JWT")
                    .description("A user's JWT (HS256 or the identity provider's keys), or an admin's on admin paths");
        }
    },
    API_KEY("api-key") {
        @Override
        SecurityScheme scheme() {
            return header(
                    "X-API-Key",
                    "A LIKEPION server's API key on the worker and assign APIs; a user API token (a JWT) on the run"
                            + " APIs");
        }
    },
    ADMIN_KEY("admin-key") {
        @Override
        SecurityScheme scheme() {
            return header("X-Admin-Key", "The operators' key (ADMIN_API_KEY at the gateway)");
        }
    },
    COOKIE("cookie") {
        @Override
        SecurityScheme scheme() {
            return new SecurityScheme()
                    .type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.COOKIE)
                    .name("vai_token")
                    .description("The HttpOnly session cookie set by POST /api/v1/session (browsers)");
        }
    };

    private final String id;

    PublicScheme(String id) {
        this.id = id;
    }

    /** The name under {@code components.securitySchemes}. */
    public String id() {
        return id;
    }

    abstract SecurityScheme scheme();

    private static SecurityScheme header(String name, String description) {
        return new SecurityScheme()
                .type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER)
                .name(name)
                .description(description);
    }
}
