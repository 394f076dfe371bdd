package io.runway.common.testsupport;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalTokenProperties;
import io.runway.common.auth.InternalTokenSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Mints internal tokens with the test secret that {@link RealInfrastructure} contexts are configured with. */
public final class TestTokens {

    public static final String SECRET = "test-internal-token-secret-0123456789abcdef";

    private static final InternalTokenSigner SIGNER = new InternalTokenSigner(
            new InternalTokenProperties(SECRET, List.of(), Duration.ofMinutes(10), "runway-gateway", true),
            Clock.systemUTC());

    private TestTokens() {}

    public static String of(CallerPrincipal principal) {
        return SIGNER.sign(principal);
    }

    public static String server(String serverId, String service) {
        return of(CallerPrincipal.server(serverId, service));
    }

    public static String user(String userId, String tenant) {
        return of(CallerPrincipal.user(userId, tenant));
    }

    public static String admin() {
        return of(CallerPrincipal.admin("test-admin"));
    }
}
