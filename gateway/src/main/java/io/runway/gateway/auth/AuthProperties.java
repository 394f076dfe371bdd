package io.runway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway authenticates callers.
 *
 * @param jwt how user and admin JWTs are validated
 * @param adminKey the operators' key accepted in {@code X-Admin-Key} on admin paths; blank disables the key
 * @param adminSession console sessions opened with the admin key
 * @param apiKeyCache how long server API-key lookups are cached
 * @param jwtCache how long a verified JWT is trusted without checking its signature again
 * @param strippedHeaders identity headers removed from every incoming request (the internal token is always removed)
 */
@ConfigurationProperties("app.auth")
public record AuthProperties(
        Jwt jwt,
        String adminKey,
        @DefaultValue AdminSession adminSession,
        @DefaultValue ApiKeyCache apiKeyCache,
        @DefaultValue JwtCache jwtCache,
        @DefaultValue({
                    "X-Internal-Token",
                    "X-User-Id",
                    "X-Tenant-Id",
                    "X-Server-Id",
                    "X-Principal",
                    "X-Auth-User",
                    "X-Forwarded-User",
                    "X-Remote-User"
                })
                List<String> strippedHeaders) {

    /**
     * JWT validation: either an HS256 secret or a JWK set URL.
     *
     * @param secret HS256 secret (env {@code JWT_SECRET}), at least 32 bytes; used when {@code jwkSetUri} is blank
     * @param jwkSetUri JWKS URL of an external issuer (RS256/ES256 keys); takes precedence over the secret
     * @param issuer required {@code iss} when set
     * @param audience required member of {@code aud} when set
     * @param tenantClaim the claim holding the user's tenant
     * @param rolesClaim the claim (list or space-separated string) whose {@code admin} entry makes an operator
     */
    public record Jwt(
            String secret,
            String jwkSetUri,
            String issuer,
            String audience,
            @DefaultValue("tenant_id") String tenantClaim,
            @DefaultValue("roles") String rolesClaim) {

        public Jwt {
            boolean hasJwks = jwkSetUri != null && !jwkSetUri.isBlank();
            if (!hasJwks && (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32)) {
                throw new IllegalStateException(
                        "app.auth.jwt.secret (env JWT_SECRET) must be at least 32 bytes, or set app.auth.jwt.jwk-set-uri");
            }
        }
    }

    /**
     * Console sessions opened with the admin key ({@code POST /api/v1/session} with {@code adminKey}).
     *
     * @param ttl how long such a session lasts; the operator signs in again after it
     */
    public record AdminSession(@DefaultValue("8h") Duration ttl) {}

    /**
     * Local cache of API-key lookups; entries also go when a {@code server.changed} event names their server.
     *
     * @param ttl how long a known key is trusted without asking the database again
     * @param negativeTtl how long an unknown key is remembered as unknown
     * @param maxSize most entries kept
     */
    public record ApiKeyCache(
            @DefaultValue("30s") Duration ttl,
            @DefaultValue("5s") Duration negativeTtl,
            @DefaultValue("10000") long maxSize) {}

    /**
     * Verified JWTs remembered by their exact text: a token is trusted again without a signature check until its
     * {@code exp} or {@code maxAge} after its verification, whichever comes first (after that it is verified anew).
     *
     * @param maxAge longest trust of one verification
     * @param maxSize most tokens remembered
     */
    public record JwtCache(@DefaultValue("5m") Duration maxAge, @DefaultValue("10000") int maxSize) {}
}
