package io.runway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.auth.CallerPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class WarmUpCallersTests {

    final AtomicInteger lookups = new AtomicInteger();
    final ServerRepository servers = new ServerRepository(null) {
        @Override
        Mono<ServerCredential> findByKeyHash(String keyHash) {
            lookups.incrementAndGet();
            return Mono.empty();
        }
    };
    final AuthProperties properties = new AuthProperties(
            new AuthProperties.Jwt("0123456789abcdef0123456789abcdef", null, null, null, "tenant_id", "roles"),
            null,
            new AuthProperties.AdminSession(Duration.ofHours(8)),
            new AuthProperties.ApiKeyCache(Duration.ofSeconds(30), Duration.ofSeconds(5), 100),
            new AuthProperties.JwtCache(Duration.ofMinutes(5), 100),
            List.of());
    final ApiKeyAuthenticator apiKeys = new ApiKeyAuthenticator(servers, properties, Clock.systemUTC());
    final JwtAuthenticator jwts = new JwtAuthenticator(properties, Clock.systemUTC());
    final WarmUpCallers callers = new WarmUpCallers(apiKeys, jwts, Clock.systemUTC());

    @Test
    void issuedCredentialsAuthenticateAsTheSyntheticCallersWithoutTheDatabase() {
        var issued = callers.issue(Duration.ofMinutes(1));

        StepVerifier.create(apiKeys.authenticate(issued.toolKey(), false).map(Caller::principal))
                .expectNext(CallerPrincipal.server(WarmUpCallers.TOOL_SERVER, "tool"))
                .verifyComplete();
        StepVerifier.create(apiKeys.authenticate(issued.assignKey(), true).map(Caller::principal))
                .expectNext(CallerPrincipal.server(WarmUpCallers.ASSIGN_SERVER, "assign"))
                .verifyComplete();
        StepVerifier.create(apiKeys.authenticate(issued.toolKey(), true))
                .expectErrorSatisfies(
                        e -> assertThat(((AuthenticationException) e).reason()).isEqualTo("not_assign_server"))
                .verify();
        StepVerifier.create(jwts.user(issued.userToken()).map(Caller::principal))
                .expectNext(CallerPrincipal.user(WarmUpCallers.USER, WarmUpCallers.TENANT))
                .verifyComplete();
        assertThat(lookups).hasValue(0);
    }

    @Test
    void revokedCredentialsAreRefused() {
        var issued = callers.issue(Duration.ofMinutes(1));
        callers.revoke(issued);

        StepVerifier.create(apiKeys.authenticate(issued.toolKey(), false))
                .expectErrorSatisfies(
                        e -> assertThat(((AuthenticationException) e).reason()).isEqualTo("invalid_api_key"))
                .verify();
        StepVerifier.create(apiKeys.authenticate(issued.assignKey(), true))
                .expectError(AuthenticationException.class)
                .verify();
        StepVerifier.create(jwts.user(issued.userToken()))
                .expectErrorSatisfies(
                        e -> assertThat(((AuthenticationException) e).reason()).isEqualTo("invalid_token"))
                .verify();
    }

    @Test
    void credentialsExpireByThemselves() {
        var issued = callers.issue(Duration.ZERO);

        StepVerifier.create(apiKeys.authenticate(issued.toolKey(), false))
                .expectError(AuthenticationException.class)
                .verify();
        StepVerifier.create(jwts.user(issued.userToken()))
                .expectError(AuthenticationException.class)
                .verify();
    }
}
