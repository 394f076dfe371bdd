package io.runway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminSessionsTests {

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    final AdminSessions sessions = sessions("the-admin-key-0123456789");

    @Test
    void aMintedSessionIsAnOperatorUntilItExpires() {
        var minted = sessions.mint();

        assertThat(minted.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
        assertThat(minted.token()).doesNotContain("the-admin-key");
        assertThat(AdminSessions.isSessionToken(minted.token())).isTrue();
        assertThat(sessions.verify(minted.token()).principal()).isEqualTo(CallerPrincipal.admin("admin-key"));

        clock.advance(Duration.ofHours(8));
        assertThatThrownBy(() -> sessions.verify(minted.token())).hasMessage("Token has expired");
    }

    @Test
    void anotherAdminKeyEndsEverySession() {
        var minted = sessions.mint();

        assertThatThrownBy(() -> sessions("a-new-admin-key-0123456789").verify(minted.token()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("Invalid token");
    }

    @Test
    void theAdminKeyIsComparedAndOtherTokensAreNoSessions() {
        assertThat(sessions.isAdminKey("the-admin-key-0123456789")).isTrue();
        assertThat(sessions.isAdminKey("the-admin-key-012345678")).isFalse();
        assertThat(sessions("").enabled()).isFalse();
        assertThat(AdminSessions.isSessionToken("not.a.jwt")).isFalse();
    }

    private AdminSessions sessions(String adminKey) {
        var properties = new AuthProperties(
                new AuthProperties.Jwt("0123456789abcdef0123456789abcdef", null, null, null, "tenant_id", "roles"),
                adminKey,
                new AuthProperties.AdminSession(Duration.ofHours(8)),
                new AuthProperties.ApiKeyCache(Duration.ofSeconds(30), Duration.ofSeconds(5), 100),
                new AuthProperties.JwtCache(Duration.ofMinutes(5), 100),
                List.of());
        return new AdminSessions(properties, clock);
    }
}
