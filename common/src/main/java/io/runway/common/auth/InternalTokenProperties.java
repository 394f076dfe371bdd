package io.runway.common.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the short-lived token the gateway forwards to the services.
 *
 * @param secret current HS256 secret, at least 32 bytes; the gateway signs with it and services accept it
 * @param previousSecrets secrets still accepted while a rotation rolls out (services only)
 * @param ttl how long a minted token is valid
 * @param issuer the {@code iss} claim written and required
 * @param verify whether this application admits only requests that carry a valid token
 */
@ConfigurationProperties("app.internal-token")
public record InternalTokenProperties(
        String secret,
        @DefaultValue List<String> previousSecrets,
        @DefaultValue("60s") Duration ttl,
        @DefaultValue("runway-gateway") String issuer,
        @DefaultValue("true") boolean verify) {

    static final int MIN_SECRET_BYTES = 32;

    public InternalTokenProperties {
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(
                    "app.internal-token.secret (env INTERNAL_TOKEN_SECRET) is not set: every service and the gateway need the same secret of at least 32 bytes");
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("app.internal-token.secret must be at least 32 bytes long");
        }
    }
}
