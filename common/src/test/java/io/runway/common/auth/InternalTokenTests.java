package io.runway.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class InternalTokenTests {

    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes";
    private static final String OTHER_SECRET = "another-secret-that-is-at-least-32-bytes";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void whenSignedThenVerifierReadsTheSamePrincipal() {
        var principal = CallerPrincipal.user("user-1", "tenant-a");

        var token = new InternalTokenSigner(props(SECRET), clock).sign(principal);

        assertThat(new InternalTokenVerifier(props(SECRET), clock).verify(token))
                .isEqualTo(principal);
    }

    @Test
    void whenServerPrincipalThenServiceIsCarried() {
        var token = new InternalTokenSigner(props(SECRET), clock).sign(CallerPrincipal.server("srv-1", "assign"));

        var principal = new InternalTokenVerifier(props(SECRET), clock).verify(token);

        assertThat(principal.isAssignServer()).isTrue();
        assertThat(principal.tenant()).isNull();
    }

    @Test
    void whenSignedWithAnotherSecretThenRejected() {
        var token = new InternalTokenSigner(props(OTHER_SECRET), clock).sign(CallerPrincipal.admin("ops"));

        assertThatThrownBy(() -> new InternalTokenVerifier(props(SECRET), clock).verify(token))
                .isInstanceOf(InvalidInternalTokenException.class);
    }

    @Test
    void whenPayloadIsTamperedThenRejected() {
        var token = new InternalTokenSigner(props(SECRET), clock).sign(CallerPrincipal.user("u", "t1"));
        var forged = CallerPrincipal.admin("u");
        var forgedPayload =
                new InternalTokenSigner(props(OTHER_SECRET), clock).sign(forged).split("\\.")[1];
        var parts = token.split("\\.");

        assertThatThrownBy(() -> new InternalTokenVerifier(props(SECRET), clock)
                        .verify(parts[0] + "." + forgedPayload + "." + parts[2]))
                .isInstanceOf(InvalidInternalTokenException.class);
    }

    @Test
    void whenExpiredThenRejected() {
        var token = new InternalTokenSigner(props(SECRET), clock).sign(CallerPrincipal.admin("ops"));
        var later = Clock.fixed(NOW.plus(Duration.ofMinutes(5)), ZoneOffset.UTC);

        assertThatThrownBy(() -> new InternalTokenVerifier(props(SECRET), later).verify(token))
                .isInstanceOf(InvalidInternalTokenException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aTokenThatPassedOnceIsStillRefusedOnceItExpires() {
        var token = new InternalTokenSigner(props(SECRET), clock).sign(CallerPrincipal.user("u", "t1"));
        var now = new java.util.concurrent.atomic.AtomicReference<>(NOW);
        var moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        var verifier = new InternalTokenVerifier(props(SECRET), moving);

        assertThat(verifier.verify(token)).isEqualTo(verifier.verify(token));
        now.set(NOW.plus(Duration.ofMinutes(5)));

        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(InvalidInternalTokenException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aForgedTokenIsRefusedAfterTheGenuineOneWasRemembered() {
        var verifier = new InternalTokenVerifier(props(SECRET), clock);
        var token = new InternalTokenSigner(props(SECRET), clock).sign(CallerPrincipal.user("u", "t1"));
        verifier.verify(token);
        var parts = token.split("\\.");
        var forgedPayload = new InternalTokenSigner(props(OTHER_SECRET), clock)
                .sign(CallerPrincipal.admin("u"))
                .split("\\.")[1];

        assertThatThrownBy(() -> verifier.verify(parts[0] + "." + forgedPayload + "." + parts[2]))
                .isInstanceOf(InvalidInternalTokenException.class);
    }

    @Test
    void whenSecretRotatesThenTokensOfThePreviousSecretStillPass() {
        var oldToken = new InternalTokenSigner(props(OTHER_SECRET), clock).sign(CallerPrincipal.admin("ops"));
        var rotated = new InternalTokenProperties(
                SECRET, List.of(OTHER_SECRET), Duration.ofSeconds(60), "runway-gateway", true);

        assertThat(new InternalTokenVerifier(rotated, clock).verify(oldToken).id())
                .isEqualTo("ops");
    }

    @Test
    void whenMissingOrGarbageThenRejected() {
        var verifier = new InternalTokenVerifier(props(SECRET), clock);

        assertThatThrownBy(() -> verifier.verify(null)).isInstanceOf(InvalidInternalTokenException.class);
        assertThatThrownBy(() -> verifier.verify("not.a.jwt")).isInstanceOf(InvalidInternalTokenException.class);
    }

    @Test
    void whenSecretIsShortThenStartupFailsWithAClearMessage() {
        assertThatThrownBy(() -> props("short"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> props(null)).hasMessageContaining("INTERNAL_TOKEN_SECRET");
    }

    private static InternalTokenProperties props(String secret) {
        return new InternalTokenProperties(secret, List.of(), Duration.ofSeconds(60), "runway-gateway", true);
    }
}
