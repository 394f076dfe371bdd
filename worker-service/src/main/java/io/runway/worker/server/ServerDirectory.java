package io.runway.worker.server;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import io.runway.common.likepion.ServingServers;
import io.runway.common.work.PeriodicWork;
import io.runway.worker.config.WorkerProperties;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Admits a caller only when it is a server whose current status is {@code online} or {@code active}. Every server's
 * name and status are reloaded in one query every {@code app.worker.server-cache-ttl}, so the hot paths (heartbeats)
 * never wait on the database and a deactivated server is refused within that delay; a server not seen yet is looked
 * up on its own.
 */
@Component
public class ServerDirectory implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServerDirectory.class);

    private final ServerRepository repository;
    private final Clock clock;
    private final WorkerProperties properties;
    private final long ttlMillis;
    private final ConcurrentHashMap<UUID, Cached> cache = new ConcurrentHashMap<>();
    private volatile Disposable refresher;

    ServerDirectory(ServerRepository repository, Clock clock, WorkerProperties properties) {
        this.repository = repository;
        this.clock = clock;
        this.properties = properties;
        this.ttlMillis = properties.serverCacheTtl().toMillis();
    }

    /** The calling server, or a 401 {@link ApiException} when it is unknown or not serving. */
    public Mono<ActiveServer> require(CallerPrincipal caller) {
        if (!caller.isServer()) {
            return Mono.error(ApiException.unauthorized("the Worker API serves servers only"));
        }
        UUID id;
        try {
            id = UUID.fromString(caller.id());
        } catch (IllegalArgumentException e) {
            return Mono.error(ApiException.unauthorized("unknown server"));
        }
        return lookup(id).flatMap(found -> found.filter(s -> ServingServers.isServing(s.status()))
                .map(s -> Mono.just(new ActiveServer(s.id(), s.name(), s.service())))
                .orElseGet(() -> Mono.error(ApiException.unauthorized("server is unknown or not active"))));
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

    /** Reloads every server; entries live two periods, so one failed reload falls back to single lookups. */
    Mono<Integer> refresh() {
        long expiresAt = clock.millis() + 2 * ttlMillis;
        return repository
                .all()
                .doOnNext(row -> cache.put(row.id(), new Cached(Optional.of(row), expiresAt)))
                .count()
                .map(Long::intValue);
    }

    @Override
    public void start() {
        if (ttlMillis <= 0) {
            return;
        }
        // while a reload fails, servers are looked up one by one
        refresher = PeriodicWork.every(
                java.time.Duration.ZERO, properties.serverCacheTtl(), "reloading the servers", this::refresh);
    }

    @Override
    public void stop() {
        var current = refresher;
        if (current != null) {
            current.dispose();
        }
        refresher = null;
    }

    @Override
    public boolean isRunning() {
        return refresher != null;
    }

    private record Cached(Optional<ServerRepository.ServerRow> row, long expiresAt) {}
}
