package io.runway.gateway.auth;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalTokenProperties;
import io.runway.common.auth.InternalTokenSigner;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The internal token forwarded for each principal, signed once and reused for the first half of its lifetime, so a
 * token always reaches a service with at least half its lifetime left and a busy principal costs one signature per
 * half-lifetime instead of one per request.
 */
@Component
final class ForwardedTokens {

    private static final int MAX_PRINCIPALS = 100_000;

    private final InternalTokenSigner signer;
    private final Clock clock;
    private final long reuseMillis;
    private final Map<CallerPrincipal, Signed> tokens = new ConcurrentHashMap<>();

    ForwardedTokens(InternalTokenSigner signer, InternalTokenProperties properties, Clock clock) {
        this.signer = signer;
        this.clock = clock;
        this.reuseMillis = properties.ttl().toMillis() / 2;
    }

    /** The token of a caller: kept on the caller itself when a credential cache reuses it. */
    String tokenFor(Caller caller) {
        if (!caller.reused()) {
            return tokenFor(caller.principal());
        }
        long now = clock.millis();
        var signed = caller.signed();
        if (signed == null || now >= signed.reuseUntil()) {
            signed = new Signed(signer.sign(caller.principal()), now + reuseMillis);
            caller.signed(signed);
        }
        return signed.token();
    }

    String tokenFor(CallerPrincipal principal) {
        long now = clock.millis();
        var signed = tokens.get(principal);
        if (signed != null && now < signed.reuseUntil()) {
            return signed.token();
        }
        var token = signer.sign(principal);
        if (tokens.size() >= MAX_PRINCIPALS) {
            tokens.values().removeIf(old -> now >= old.reuseUntil());
        }
        tokens.put(principal, new Signed(token, now + reuseMillis));
        return token;
    }

    record Signed(String token, long reuseUntil) {}
}
