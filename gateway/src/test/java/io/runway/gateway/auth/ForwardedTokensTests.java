package io.runway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalTokenProperties;
import io.runway.common.auth.InternalTokenSigner;
import io.runway.common.auth.InternalTokenVerifier;
import io.runway.common.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedTokensTests {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    final InternalTokenProperties properties = new InternalTokenProperties(
            "internal-secret-0123456789abcdef-0123", List.of(), Duration.ofSeconds(60), "runway-gateway", true);
    final ForwardedTokens tokens = new ForwardedTokens(new InternalTokenSigner(properties, clock), properties, clock);
    final InternalTokenVerifier verifier = new InternalTokenVerifier(properties, clock);
    final CallerPrincipal server = CallerPrincipal.server("s1", "tool");

    @Test
    void aPrincipalGetsTheSameTokenForHalfItsLifetimeThenAFreshOne() {
        var first = tokens.tokenFor(server);
        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.tokenFor(server)).isEqualTo(first);
        assertThat(verifier.verify(first)).isEqualTo(server);

        clock.advance(Duration.ofSeconds(1));
        var renewed = tokens.tokenFor(server);

        assertThat(renewed).isNotEqualTo(first);
        clock.advance(Duration.ofSeconds(29));
        assertThat(verifier.verify(renewed)).isEqualTo(server);
    }

    @Test
    void eachPrincipalHasItsOwnToken() {
        var user = CallerPrincipal.user("u1", "tenant-a");
        var otherTenant = CallerPrincipal.user("u1", "tenant-b");

        assertThat(verifier.verify(tokens.tokenFor(user))).isEqualTo(user);
        assertThat(verifier.verify(tokens.tokenFor(otherTenant))).isEqualTo(otherTenant);
        assertThat(verifier.verify(tokens.tokenFor(server))).isEqualTo(server);
    }

    @Test
    void aCachedCallerKeepsItsTokenForHalfItsLifetimeThenGetsAFreshOne() {
        var cached = Caller.cached(server);
        var first = tokens.tokenFor(cached);
        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.tokenFor(cached)).isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        var renewed = tokens.tokenFor(cached);

        assertThat(renewed).isNotEqualTo(first);
        assertThat(verifier.verify(renewed)).isEqualTo(server);
    }

    @Test
    void callersBuiltForOneRequestShareTheTokenOfTheirPrincipal() {
        assertThat(tokens.tokenFor(Caller.once(server))).isEqualTo(tokens.tokenFor(Caller.once(server)));
    }
}
