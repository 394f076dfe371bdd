package io.runway.gateway.auth;

import io.runway.common.auth.CallerPrincipal;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.security.oauth2.jwt.Jwt;

/** JWTs whose signature and claims were verified, by their exact text, until they expire or grow too old to trust. */
final class VerifiedJwts {

    private final Clock clock;
    private final long maxAgeMillis;
    private final int maxSize;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedJwts(Clock clock, AuthProperties.JwtCache settings) {
        this.clock = clock;
        this.maxAgeMillis = settings.maxAge().toMillis();
        this.maxSize = settings.maxSize();
    }

    Jwt get(String token) {
        var entry = trusted(token);
        return entry == null ? null : entry.jwt;
    }

    /**
     * The user a verified token stands for, made by {@code toUser} the first time and then kept with the token, so its
     * forwarded token is too (see {@link Caller}); null when the token is not (or no longer) known.
     */
    Caller user(String token, Function<Jwt, CallerPrincipal> toUser) {
        var entry = trusted(token);
        if (entry == null) {
            return null;
        }
        var user = entry.user;
        if (user == null) {
            user = Caller.cached(toUser.apply(entry.jwt));
            entry.user = user;
        }
        return user;
    }

    private Entry trusted(String token) {
        var entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (clock.millis() >= entry.trustedUntil) {
            entries.remove(token, entry);
            return null;
        }
        return entry;
    }

    void remember(String token, Jwt jwt) {
        long now = clock.millis();
        long until = now + maxAgeMillis;
        if (jwt.getExpiresAt() != null) {
            until = Math.min(until, jwt.getExpiresAt().toEpochMilli());
        }
        if (until <= now) {
            return;
        }
        if (entries.size() >= maxSize) {
            entries.values().removeIf(old -> now >= old.trustedUntil);
            if (entries.size() >= maxSize) {
                entries.clear();
            }
        }
        entries.put(token, new Entry(jwt, until));
    }

    private static final class Entry {

        private final Jwt jwt;
        private final long trustedUntil;
        private volatile Caller user;

        private Entry(Jwt jwt, long trustedUntil) {
            this.jwt = jwt;
            this.trustedUntil = trustedUntil;
        }
    }
}
