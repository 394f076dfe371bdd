package io.runway.assign.link;

import io.runway.assign.account.AccountLimits;
import io.runway.assign.event.EventPublisher;
import io.runway.assign.event.LinkChange;
import io.runway.common.error.ApiException;
import io.runway.common.id.UuidV7;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Links of the Assign API: listing, manual assignment, bulk creation, retries and account statistics. */
@Service
class LinkService {

    private final LinkRepository repository;
    private final AccountLimits limits;
    private final EventPublisher events;
    private final TransactionalOperator tx;
    private final JsonMapper json;
    private final Clock clock;

    LinkService(
            LinkRepository repository,
            AccountLimits limits,
            EventPublisher events,
            TransactionalOperator tx,
            JsonMapper json,
            Clock clock) {
        this.repository = repository;
        this.limits = limits;
        this.events = events;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    Mono<List<LinkView>> byStatus(String status, String serviceType, int limit) {
        return repository.byStatus(status, serviceType, limit).collectList();
    }

    Mono<List<LinkView>> stale(int timeoutMinutes, String serviceType, int limit) {
        var before = clock.instant().minusSeconds(60L * timeoutMinutes);
        return repository.stale(before, serviceType, limit).collectList();
    }

    Mono<List<LinkView>> retryable(String serviceType, int limit) {
        return repository.retryable(serviceType, limit).collectList();
    }

    /** Hands one pending link to a server: slots, state and the account's posting limits are checked atomically. */
    Mono<LinkView> assign(UUID linkId, UUID serverId) {
        var now = clock.instant();
        // The link is locked before the server: whoever holds a server lock only ever skips locked links, so a
        // transaction waiting for a server while holding a link cannot deadlock with the dispatcher.
        var work = repository
                .lock(linkId)
                .switchIfEmpty(Mono.error(() -> notFound(linkId)))
                .zipWhen(link -> repository
                        .lockServerSlots(serverId)
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("server " + serverId + " not found"))))
                .flatMap(t -> {
                    var link = t.getT1();
                    if (!link.status().equals("pending")) {
                        return Mono.error(ApiException.conflict(
                                "link_not_pending", "only a pending link can be assigned; it is " + link.status()));
                    }
                    if (t.getT2() <= 0) {
                        return Mono.error(ApiException.conflict("server_full", "the server has no free slot"));
                    }
                    return checkAccount(link, now)
                            .then(repository.assign(linkId, serverId, now))
                            .then(repository.addActiveTasks(serverId, 1, now))
                            .thenReturn(link);
                });
        return tx.transactional(work)
                .flatMap(link ->
                        events.linksChanged(List.of(new LinkChange(linkId, link.requestId(), serverId, "queued"))))
                .then(repository.find(linkId));
    }

    private Mono<Void> checkAccount(LinkRepository.Locked link, java.time.Instant now) {
        if (link.accountId() == null) {
            return Mono.empty();
        }
        return limits.current()
                .flatMap(l -> limits.consume(List.of(link.accountId()), l, now))
                .flatMap(granted -> granted.contains(link.accountId())
                        ? Mono.empty()
                        : Mono.error(ApiException.conflict(
                                "account_limit", "the link's account has reached its posting limit for now")));
    }

    /** Creates all the links or none; links naming a server start queued on it, within its free slots. */
    Mono<Integer> bulkCreate(List<Map<String, Object>> rows) {
        var now = clock.instant();
        var document = json.writeValueAsString(rows);
        var work = repository.insertBulk(document, now).collectList().flatMap(counts -> Flux.fromIterable(counts)
                .filter(c -> c.serverId() != null)
                .concatMap(c -> repository
                        .addActiveTasks(c.serverId(), c.count(), now)
                        .flatMap(updated -> updated == 0
                                ? Mono.error(ApiException.conflict(
                                        "server_full", "server " + c.serverId() + " has not enough free slots"))
                                : Mono.just(updated)))
                .then(Mono.just(counts.stream()
                        .mapToInt(LinkRepository.ServerCount::count)
                        .sum())));
        return tx.transactional(work);
    }

    Map<String, Object> row(
            BulkLink link, UUID requestId, String serviceType, UUID serverId, UUID siteId, UUID accountId) {
        var row = new LinkedHashMap<String, Object>();
        row.put("id", UuidV7.next(clock).toString());
        row.put("request_id", requestId.toString());
        row.put("service_type", serviceType);
        row.put("server_id", serverId == null ? null : serverId.toString());
        row.put("site_id", siteId == null ? null : siteId.toString());
        row.put("site_name", link.siteName());
        row.put("account_id", accountId == null ? null : accountId.toString());
        row.put("email", link.email());
        row.put("username", link.username());
        row.put("password", link.password());
        row.put("about", link.about());
        row.put("max_retries", link.maxRetries());
        row.put("details", link.details());
        return row;
    }

    Mono<LinkView> retry(UUID id) {
        var work = repository
                .lock(id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(link -> {
                    if (!link.status().equals("failed")) {
                        return Mono.error(ApiException.conflict(
                                "link_not_failed", "only a failed link can be retried; it is " + link.status()));
                    }
                    return repository.retry(new UUID[] {id}, clock.instant()).collectList();
                });
        return tx.transactional(work).flatMap(events::linksChanged).then(repository.find(id));
    }

    Mono<Integer> bulkRetry(List<UUID> ids) {
        return repository
                .retry(ids.toArray(UUID[]::new), clock.instant())
                .collectList()
                .flatMap(changes -> events.linksChanged(changes).thenReturn(changes.size()));
    }

    /** The operators' bulk retry: up to {@code limit} failed links of one request back to pending, due now. */
    Mono<Integer> retryFailedOf(UUID requestId, int limit) {
        return repository
                .failedOf(requestId, limit)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("request " + requestId + " not found")))
                .flatMap(ids -> ids.isEmpty() ? Mono.just(0) : bulkRetry(ids));
    }

    Mono<Integer> markFinalFailed(UUID requestId) {
        return repository
                .cancelExhausted(requestId, clock.instant())
                .collectList()
                .flatMap(changes -> events.linksChanged(changes).thenReturn(changes.size()));
    }

    Mono<LinkRepository.AccountStats> accountStats(String email, UUID requestId) {
        var dayStart = AccountLimits.today(clock.instant()).atStartOfDay().toInstant(ZoneOffset.UTC);
        return repository.accountStats(email, requestId, dayStart);
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("link " + id + " not found");
    }
}
