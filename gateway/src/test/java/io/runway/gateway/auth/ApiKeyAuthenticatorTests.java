package io.runway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class ApiKeyAuthenticatorTests {

    final AtomicInteger lookups = new AtomicInteger();
    final String hash = ApiKeyAuthenticator.sha256Hex("key-1");
    final ServerRepository servers = new ServerRepository(null) {
        @Override
        Mono<ServerCredential> findByKeyHash(String keyHash) {
            lookups.incrementAndGet();
            return keyHash.equals(hash) ? Mono.just(new ServerCredential("s1", "tool", "online", hash)) : Mono.empty();
        }
    };
    final AuthProperties properties = new AuthProperties(
            new AuthProperties.Jwt("0123456789abcdef0123456789abcdef", null, null, null, "tenant_id", "roles"),
            null,
            new AuthProperties.AdminSession(Duration.ofHours(8)),
            new AuthProperties.ApiKeyCache(Duration.ofSeconds(30), Duration.ofSeconds(5), 100),
            new AuthProperties.JwtCache(Duration.ofMinutes(5), 100),
            List.of());
    final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(servers, properties, Clock.systemUTC());

    @Test
    void aKnownKeyIsLookedUpOnceWhileCached() {
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(authenticator.authenticate("key-1", false))
                    .expectNextCount(1)
                    .verifyComplete();
        }
        assertThat(lookups).hasValue(1);
    }

    @Test
    void requestsThatMissTogetherShareOneLookup() {
        var row = Sinks.<ServerCredential>one();
        var slow = new ApiKeyAuthenticator(
                new ServerRepository(null) {
                    @Override
                    Mono<ServerCredential> findByKeyHash(String keyHash) {
                        lookups.incrementAndGet();
                        return row.asMono();
                    }
                },
                properties,
                Clock.systemUTC());
        var waiting = new ArrayList<Mono<Caller>>();
        for (int i = 0; i < 50; i++) {
            var caller = slow.authenticate("key-1", false).cache();
            caller.subscribe();
            waiting.add(caller);
        }

        row.tryEmitValue(new ServerCredential("s1", "tool", "online", hash));

        assertThat(Flux.concat(waiting)
                        .map(caller -> caller.principal().id())
                        .collectList()
                        .block())
                .hasSize(50)
                .containsOnly("s1");
        assertThat(lookups).hasValue(1);
        StepVerifier.create(slow.authenticate("key-1", false))
                .expectNextCount(1)
                .verifyComplete();
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aFailedLookupIsNotKept() {
        var failing = new AtomicInteger();
        var flaky = new ApiKeyAuthenticator(
                new ServerRepository(null) {
                    @Override
                    Mono<ServerCredential> findByKeyHash(String keyHash) {
                        return failing.getAndIncrement() == 0
                                ? Mono.error(new IllegalStateException("database down"))
                                : Mono.just(new ServerCredential("s1", "tool", "online", hash));
                    }
                },
                properties,
                Clock.systemUTC());

        StepVerifier.create(flaky.authenticate("key-1", false))
                .expectError(IllegalStateException.class)
                .verify();
        StepVerifier.create(flaky.authenticate("key-1", false))
                .expectNextCount(1)
                .verifyComplete();
    }

    @Test
    void aCachedKeyAuthenticatesAsTheSameCallerSoItsForwardedTokenIsKeptWithIt() {
        var first = authenticator.authenticate("key-1", false).block();
        assertThat(authenticator.authenticate("key-1", false).block()).isSameAs(first);
        assertThat(first.principal().id()).isEqualTo("s1");
    }

    @Test
    void evictingTheServerForcesAFreshLookup() {
        authenticator.authenticate("key-1", false).block();
        authenticator.evict("s1");
        authenticator.authenticate("key-1", false).block();
        assertThat(lookups).hasValue(2);
    }

    @Test
    void anUnknownKeyIsRememberedAsUnknown() {
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(authenticator.authenticate("nope", false))
                    .expectError(AuthenticationException.class)
                    .verify();
        }
        assertThat(lookups).hasValue(1);
    }
}
