package io.runway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class VerifiedJwtsTests {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    final VerifiedJwts verified = new VerifiedJwts(clock, new AuthProperties.JwtCache(Duration.ofMinutes(5), 2));

    @Test
    void aTokenIsTrustedUntilItExpires() {
        var jwt = jwt(clock.instant().plusSeconds(10));
        verified.remember("token-1", jwt);

        clock.advance(Duration.ofSeconds(9));
        assertThat(verified.get("token-1")).isSameAs(jwt);
        clock.advance(Duration.ofSeconds(1));
        assertThat(verified.get("token-1")).isNull();
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheMaximumAge() {
        verified.remember("token-2", jwt(clock.instant().plus(Duration.ofDays(365))));

        clock.advance(Duration.ofMinutes(5));

        assertThat(verified.get("token-2")).isNull();
    }

    @Test
    void onlyTheExactTextIsTrustedAndTheCacheStaysBounded() {
        var jwt = jwt(clock.instant().plusSeconds(60));
        verified.remember("token-a", jwt);
        assertThat(verified.get("token-a ")).isNull();

        verified.remember("token-b", jwt);
        verified.remember("token-c", jwt);

        assertThat(verified.get("token-c")).isSameAs(jwt);
        assertThat(verified.get("token-a")).isNull();
    }

    private Jwt jwt(Instant expiresAt) {
        return Jwt.withTokenValue("t")
                .header("alg", "HS256")
                .subject("u1")
                .issuedAt(clock.instant())
                .expiresAt(expiresAt)
                .build();
    }
}
