package io.runway.gateway.auth;

import io.runway.common.auth.CallerPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Turns a raw server API key into a server principal: SHA-256 of the key, looked up in {@code servers} through a short
 * local cache (known and unknown keys alike, so a flood of wrong keys does not reach the database; requests that miss
 * together share one query), hashes compared in constant time, status and service checked on every request.
 */
@Component
class ApiKeyAuthenticator {

    private static final MessageDigest SHA_256 = sha256();

    private final ServerRepository servers;
    private final AuthProperties.ApiKeyCache settings;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    // One query per key at a time: when an entry expires under load, every request of that key waits on the same one.
    private final Map<String, Mono<Cached>> loading = new ConcurrentHashMap<>();
    // Bumped by every eviction: a lookup that started before an eviction must not re-insert what it read.
    private final AtomicLong generation = new AtomicLong();

    ApiKeyAuthenticator(ServerRepository servers, AuthProperties properties, Clock clock) {
        this.servers = servers;
        this.settings = properties.apiKeyCache();
        this.clock = clock;
    }

    /** Authenticates a server key; {@code assignOnly} refuses tool servers (the Assign API). */
    Mono<Caller> authenticate(String rawKey, boolean assignOnly) {
        if (rawKey == null || rawKey.isBlank()) {
            return Mono.error(new AuthenticationException("missing_credentials", "Missing X-API-Key header"));
        }
        var hash = sha256Hex(rawKey);
        return lookup(hash).map(found -> principal(found, hash, assignOnly));
    }

    /** Forgets the cached lookups of one server, and every negative entry (a new key may now exist). */
    void evict(String serverId) {
        generation.incrementAndGet();
        cache.values()
                .removeIf(entry ->
                        entry.server().isEmpty() || entry.server().get().id().equals(serverId));
    }

    void evictAll() {
        generation.incrementAndGet();
        cache.clear();
    }

    private Mono<Cached> lookup(String hash) {
        long now = clock.millis();
        var cached = cache.get(hash);
        if (cached != null && cached.expiresAt() > now) {
            return Mono.just(cached);
        }
        return loading.computeIfAbsent(hash, this::load);
    }

    private Mono<Cached> load(String hash) {
        long startedIn = generation.get();
        return servers.findByKeyHash(hash)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .map(found -> remember(hash, found, startedIn))
                .doFinally(signal -> loading.remove(hash))
                .cache();
    }

    private Cached remember(String hash, Optional<ServerCredential> found, long startedIn) {
        long now = clock.millis();
        if (cache.size() >= settings.maxSize()) {
            cache.values().removeIf(entry -> entry.expiresAt() <= now);
            if (cache.size() >= settings.maxSize()) {
                cache.clear();
            }
        }
        var ttl = found.isPresent() ? settings.ttl() : settings.negativeTtl();
        var entry = new Cached(
                found,
                found.map(s -> Caller.cached(CallerPrincipal.server(s.id(), s.service()))),
                now + ttl.toMillis());
        if (generation.get() == startedIn) {
            cache.put(hash, entry);
        }
        return entry;
    }

    private static Caller principal(Cached found, String hash, boolean assignOnly) {
        var server = found.server()
                .filter(s -> MessageDigest.isEqual(
                        s.keyHash().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII)))
                .orElseThrow(() -> new AuthenticationException("invalid_api_key", "Invalid API key"));
        if (!server.isServing()) {
            throw new AuthenticationException("server_inactive", "Server is not online or active");
        }
        if (assignOnly && !server.isAssign()) {
            throw new AuthenticationException("not_assign_server", "API key is not an assign server's key");
        }
        return found.caller().orElseThrow();
    }

    static String sha256Hex(String raw) {
        try {
            var digest = ((MessageDigest) SHA_256.clone()).digest(raw.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    // Cloned per key: looking the algorithm up among the security providers cost more than the hash.
    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Cached(Optional<ServerCredential> server, Optional<Caller> caller, long expiresAt) {}
}
