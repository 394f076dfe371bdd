package io.runway.gateway.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * Credentials for the gateway's own warm-up requests, so that those take the authentication path real callers take
 * (key hash, cache hit, verified-token hit) rather than a shortcut: random 256-bit values, trusted by the
 * authenticators' caches as synthetic callers (servers {@code warm-up-tool} and {@code warm-up-assign}, user
 * {@code warm-up} of tenant {@code warm-up}) until they expire or are revoked. They exist in this process only.
 */
@Component
public final class WarmUpCallers {

    public static final String TOOL_SERVER = "warm-up-tool";
    public static final String ASSIGN_SERVER = "warm-up-assign";
    public static final String USER = "warm-up";
    public static final String TENANT = "warm-up";

    /** The credentials of one warm-up: an X-API-Key for each server shape, a Bearer token for the user shape. */
    public record Issued(String toolKey, String assignKey, String userToken) {}

    private final SecureRandom random = new SecureRandom();
    private final ApiKeyAuthenticator apiKeys;
    private final JwtAuthenticator jwts;
    private final Clock clock;

    WarmUpCallers(ApiKeyAuthenticator apiKeys, JwtAuthenticator jwts, Clock clock) {
        this.apiKeys = apiKeys;
        this.jwts = jwts;
        this.clock = clock;
    }

    public Issued issue(Duration validFor) {
        var issued = new Issued(secret(), secret(), secret());
        apiKeys.trust(issued.toolKey(), new ServerCredential(TOOL_SERVER, "tool", "online", null), validFor);
        apiKeys.trust(issued.assignKey(), new ServerCredential(ASSIGN_SERVER, "assign", "online", null), validFor);
        jwts.trustUser(issued.userToken(), USER, TENANT, clock.instant().plus(validFor));
        return issued;
    }

    public void revoke(Issued issued) {
        apiKeys.evict(TOOL_SERVER);
        apiKeys.evict(ASSIGN_SERVER);
        jwts.forget(issued.userToken());
    }

    private String secret() {
        var bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
