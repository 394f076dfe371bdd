package io.runway.assign.server;

import io.runway.assign.event.EventPublisher;
import io.runway.common.error.ApiException;
import io.runway.common.id.UuidV7;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Server listing for the Assign API and server registration, keys and changes for operators. */
@Service
class ServerService {

    private final ServerRepository repository;
    private final EventPublisher events;
    private final Clock clock;

    ServerService(ServerRepository repository, EventPublisher events, Clock clock) {
        this.repository = repository;
        this.events = events;
        this.clock = clock;
    }

    Mono<List<ServerView>> list(String status, Integer inactiveMinutes) {
        var since = inactiveMinutes == null ? null : clock.instant().minus(Duration.ofMinutes(inactiveMinutes));
        return repository.list(status, since).collectList();
    }

    Mono<List<ServerView>> available(String status, String service) {
        return repository.available(status, service).collectList();
    }

    Mono<Void> changeStatus(UUID id, String status) {
        return repository
                .updateStatus(id, status, clock.instant())
                .flatMap(rows -> rows == 0 ? Mono.error(notFound(id)) : events.serverChanged(id));
    }

    Mono<Registered> register(NewServer server) {
        var key = ApiKeys.mint();
        return repository
                .insert(server, ApiKeys.hash(key), clock.instant())
                .then(repository.find(server.id()))
                .map(view -> new Registered(view, key));
    }

    Mono<Registered> rotateKey(UUID id) {
        var key = ApiKeys.mint();
        return repository
                .rotateKey(id, ApiKeys.hash(key), clock.instant())
                .flatMap(rows -> rows == 0 ? Mono.error(notFound(id)) : events.serverChanged(id))
                .then(repository.find(id))
                .map(view -> new Registered(view, key));
    }

    Mono<ServerView> update(UUID id, ServerUpdate change) {
        return repository
                .update(id, change, clock.instant())
                .flatMap(rows -> rows == 0 ? Mono.error(notFound(id)) : events.serverChanged(id))
                .then(repository.find(id));
    }

    Mono<List<ServerView>> byName(String name) {
        return repository.findByName(name).collectList();
    }

    static UUID newId(Clock clock) {
        return UuidV7.next(clock);
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("server " + id + " not found");
    }

    /** A server with its raw API key, shown once. */
    record Registered(ServerView server, String apiKey) {}
}
