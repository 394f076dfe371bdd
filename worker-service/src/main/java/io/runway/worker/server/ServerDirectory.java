package io.runway.worker.server;

import io.runway.common.auth.CallerPrincipal;
import io.runway.worker.config.WorkerProperties;
import io.runway.worker.web.WorkerApiException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Admits a caller only when it is a server whose current status is {@code online} or {@code active}; the lookup is
 * cached for {@code app.worker.server-cache-ttl}, so a deactivated server is refused within that delay.
 */
@Component
public class ServerDirectory {

    private static final Set<String> SERVING = Set.of("online", "active");

    private final ServerRepository repository;
    private final Clock clock;
    private final long ttlMillis;
    private final ConcurrentHashMap<UUID, Cached> cache = new ConcurrentHashMap<>();

    ServerDirectory(ServerRepository repository, Clock clock, WorkerProperties properties) {
        this.repository = repository;
        this.clock = clock;
        this.ttlMillis = properties.serverCacheTtl().toMillis();
    }

    /** The calling server, or a 401 {@link WorkerApiException} when it is unknown or not serving. */
    public Mono<ActiveServer> require(CallerPrincipal caller) {
        if (!caller.isServer()) {
            return Mono.error(WorkerApiException.unauthorized("the Worker API serves servers only"));
        }
        UUID id;
        try {
            id = UUID.fromString(caller.id());
        } catch (IllegalArgumentException e) {
            return Mono.error(WorkerApiException.unauthorized("unknown server"));
        }
        return lookup(id).flatMap(found -> found.filter(s -> SERVING.contains(s.status()))
                .map(s -> Mono.just(new ActiveServer(s.id(), s.name(), s.service())))
                .orElseGet(() -> Mono.error(WorkerApiException.unauthorized("server is unknown or not active"))));
    }

    private Mono<Optional<ServerRepository.ServerRow>> lookup(UUID id) {
        long now = clock.millis();
        var cached = cache.get(id);
        if (cached != null && cached.expiresAt > now) {
            return Mono.just(cached.row);
        }
        return repository
                .find(id)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .doOnNext(row -> cache.put(id, new Cached(row, now + ttlMillis)));
    }

    private record Cached(Optional<ServerRepository.ServerRow> row, long expiresAt) {}
}
