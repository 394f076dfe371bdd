package io.runway.assign.request;

import io.runway.assign.event.EventPublisher;
import io.runway.assign.event.LinkChange;
import io.runway.assign.server.SlotLedger;
import io.runway.common.error.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Requests (campaigns): listing, counts and the status changes of the Assign API, creation for operators. */
@Service
class RequestService {

    private final RequestRepository repository;
    private final SlotLedger slots;
    private final EventPublisher events;
    private final TransactionalOperator tx;
    private final Clock clock;

    RequestService(
            RequestRepository repository,
            SlotLedger slots,
            EventPublisher events,
            TransactionalOperator tx,
            Clock clock) {
        this.repository = repository;
        this.slots = slots;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    Mono<List<RequestView>> list(String[] statuses, String serviceType, String typeRequest, int limit) {
        return repository.list(statuses, serviceType, typeRequest, limit).collectList();
    }

    Mono<List<RequestView>> completable(String status, String serviceType, String[] active, int limit) {
        return repository.completable(status, serviceType, active, limit).collectList();
    }

    Mono<LinkCounts> counts(UUID id) {
        return find(id).then(Mono.zip(repository.counts(id).collectList(), repository.profileAndPostCounts(id)))
                .map(t -> {
                    var total = t.getT1().stream()
                            .mapToLong(RequestRepository.StatusCount::count)
                            .sum();
                    return new LinkCounts(true, id, t.getT1(), total, t.getT2()[0], t.getT2()[1]);
                });
    }

    Mono<RequestView> changeStatus(UUID id, String status) {
        return repository
                .updateStatus(id, status, clock.instant())
                .flatMap(rows -> rows == 0 ? Mono.error(notFound(id)) : events.requestStatus(id, status))
                .then(repository.find(id));
    }

    Mono<RequestView> complete(UUID id) {
        return tx.transactional(repository
                        .lockStatus(id)
                        .switchIfEmpty(Mono.error(notFound(id)))
                        .flatMap(status -> {
                            if (status.equals("canceled") || status.equals("failed")) {
                                return Mono.error(ApiException.conflict(
                                        "invalid_transition", "a " + status + " request cannot be completed"));
                            }
                            return repository.updateStatus(id, "completed", clock.instant());
                        }))
                .then(events.requestStatus(id, "completed"))
                .then(repository.find(id));
    }

    /** Completed links go to {@code connect}, links without a profile are canceled, the request is connecting. */
    Mono<int[]> connect(UUID id) {
        var now = clock.instant();
        var changes = new ArrayList<LinkChange>();
        var work = repository
                .lockStatus(id)
                .switchIfEmpty(Mono.error(notFound(id)))
                .flatMap(status -> {
                    if (status.equals("canceled") || status.equals("failed")) {
                        return Mono.error(ApiException.conflict(
                                "invalid_transition", "a " + status + " request cannot enter the connecting phase"));
                    }
                    return repository
                            .cancelLinksWithoutProfile(id, now)
                            .collectList()
                            .zipWhen(canceled ->
                                    repository.connectCompletedLinks(id, now).collectList())
                            .flatMap(t -> {
                                t.getT1()
                                        .forEach(
                                                c -> changes.add(new LinkChange(c.id(), id, c.serverId(), "canceled")));
                                t.getT2()
                                        .forEach(c -> changes.add(new LinkChange(c.id(), id, c.serverId(), "connect")));
                                var busyServers = t.getT1().stream()
                                        .filter(c -> c.oldStatus().equals("queued")
                                                || c.oldStatus().equals("running"))
                                        .map(RequestRepository.Changed::serverId)
                                        .toList();
                                return slots.recount(busyServers, now)
                                        .then(repository.updateStatus(id, "connecting", now))
                                        .thenReturn(new int[] {
                                            t.getT2().size(), t.getT1().size()
                                        });
                            });
                });
        return tx.transactional(work).flatMap(result -> events.linksChanged(changes)
                .then(events.requestStatus(id, "connecting"))
                .thenReturn(result));
    }

    Mono<RequestView> create(NewRequest request) {
        return repository
                .insert(request, clock.instant())
                .then(events.requestStatus(request.id(), request.status()))
                .then(repository.find(request.id()));
    }

    Mono<RequestView> update(UUID id, RequestChange change, String status) {
        var now = clock.instant();
        Mono<Long> statusChange = status == null ? Mono.just(1L) : repository.updateStatus(id, status, now);
        return tx.transactional(repository.update(id, change, now).zipWith(statusChange))
                .flatMap(t -> t.getT1() == 0 ? Mono.error(notFound(id)) : Mono.just(t))
                .then(status == null ? Mono.empty() : events.requestStatus(id, status))
                .then(repository.find(id));
    }

    Mono<RequestView> find(UUID id) {
        return repository.find(id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("request " + id + " not found");
    }

    /** Answer of {@code GET /requests/:id/links/count}. */
    record LinkCounts(
            boolean success,
            UUID requestId,
            List<RequestRepository.StatusCount> counts,
            long total,
            long profileCount,
            long postCount) {}
}
