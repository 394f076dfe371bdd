package io.runway.assign.dispatch;

import io.runway.assign.account.AccountLimits;
import io.runway.assign.config.DispatcherProperties;
import io.runway.assign.event.EventPublisher;
import io.runway.assign.event.LinkChange;
import io.runway.assign.server.SlotLedger;
import io.runway.assign.web.Params;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dispatcher's steps, each one or a few short transactions that are safe to run from several replicas at once.
 * {@link DispatchLoop} runs them on events and on a timer; tests call them directly.
 */
@Component
public final class Dispatcher {

    private static final List<String> SERVICE_TYPES =
            Params.SERVICE_TYPES.stream().sorted().toList();

    private final Assigner assigner;
    private final SweepRepository sweeps;
    private final LinkGenerator generator;
    private final SlotLedger slots;
    private final AccountLimits accountLimits;
    private final EventPublisher events;
    private final DispatchMetrics metrics;
    private final TransactionalOperator tx;
    private final DispatcherProperties properties;
    private final Clock clock;

    Dispatcher(
            AssignmentRepository assignments,
            SweepRepository sweeps,
            GenerationRepository generation,
            SlotLedger slots,
            AccountLimits accountLimits,
            EventPublisher events,
            DispatchMetrics metrics,
            TransactionalOperator tx,
            JsonMapper json,
            DispatcherProperties properties,
            Clock clock) {
        this.assigner = new Assigner(assignments, accountLimits, tx, properties, metrics);
        this.generator = new LinkGenerator(generation, accountLimits, tx, json, properties, clock);
        this.sweeps = sweeps;
        this.slots = slots;
        this.accountLimits = accountLimits;
        this.events = events;
        this.metrics = metrics;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    /** Rule 2: hands pending links to servers with free slots, every service type, until slots or links run out. */
    public Mono<Integer> assignPending() {
        return accountLimits.current().flatMap(limits -> Flux.fromIterable(SERVICE_TYPES)
                .concatMap(type -> assignPending(type, limits))
                .reduce(0, Integer::sum));
    }

    private Mono<Integer> assignPending(String type, AccountLimits.Limits limits) {
        return Flux.range(0, properties.maxRoundsPerPass())
                .concatMap(i -> assigner.round(type, limits, clock.instant()))
                .takeUntil(Assigner.Round::exhausted)
                .doOnNext(round -> round.assigned().stream()
                        .filter(c -> c.waitedMs() != null)
                        .forEach(c -> metrics.timeToAssignment.record(c.waitedMs(), TimeUnit.MILLISECONDS)))
                .concatMap(round -> publish(round.assigned()))
                .reduce(0, Integer::sum)
                .doOnNext(metrics.assigned::increment);
    }

    /** Rule 3: a server silent for the dead-after period loses its queued/running links to the pool, fenced. */
    public Mono<Integer> reclaimDeadServers() {
        var now = clock.instant();
        var work = sweeps.lockDeadServers(now.minus(properties.deadAfter()), properties.serverBatchSize())
                .collectList()
                .doOnNext(dead -> metrics.deadServersHoldingLinks(dead.size()))
                .flatMap(dead -> dead.isEmpty()
                        ? Mono.just(List.<LinkChange>of())
                        : sweeps.reclaim(dead.toArray(UUID[]::new), now)
                                .collectList()
                                .flatMap(changes -> slots.recount(dead, now).thenReturn(changes)));
        return tx.transactional(work).flatMap(this::publish).doOnNext(metrics.reclaimed::increment);
    }

    /** Rule 3: a link running longer than the stale timeout is failed with a reason (and retried by rule 4). */
    public Mono<Integer> failStaleLinks() {
        var now = clock.instant();
        var work = sweeps.failStale(
                        now.minus(properties.staleTimeout()),
                        properties.staleTimeout(),
                        now,
                        properties.sweepBatchSize())
                .collectList();
        return tx.transactional(work)
                .flatMap(changes -> recount(changes).then(publish(changes)))
                .doOnNext(metrics.failedStale::increment);
    }

    /** Rule 4: failed links with retries left go back to pending after their back-off. */
    public Mono<Integer> retryFailedLinks() {
        return sweeps.retryFailed(
                        properties.retryBackoff(),
                        properties.maxRetryBackoff(),
                        clock.instant(),
                        properties.sweepBatchSize())
                .collectList()
                .flatMap(this::publish)
                .doOnNext(metrics.retried::increment);
    }

    /** Rule 4: failed links with no retry left are canceled (final failed). */
    public Mono<Integer> cancelExhaustedLinks() {
        return sweeps.cancelExhausted(clock.instant(), properties.sweepBatchSize())
                .collectList()
                .flatMap(this::publish)
                .doOnNext(metrics.canceled::increment);
    }

    /** Rule 1: running requests below target get links from unused site/account pairs. */
    public Mono<Integer> generateLinks() {
        if (!properties.generateLinks()) {
            return Mono.just(0);
        }
        return generator.generate().doOnNext(metrics.generated::increment);
    }

    /** Rule 6: running/connecting requests with no active link and no retry left become completed. */
    public Mono<Integer> completeRequests() {
        var now = clock.instant();
        var work = sweeps.lockFinishedRequests(properties.sweepBatchSize())
                .collectList()
                .flatMap(ids -> ids.isEmpty()
                        ? Mono.just(List.<UUID>of())
                        : sweeps.complete(ids.toArray(UUID[]::new), now).collectList());
        return tx.transactional(work)
                .flatMap(done -> Flux.fromIterable(done)
                        .concatMap(id -> events.requestStatus(id, "completed"))
                        .then(Mono.just(done.size())))
                .doOnNext(metrics.completedRequests::increment);
    }

    /** Sets the servers' {@code active_tasks} to their real number of queued/running links. */
    public Mono<Long> reconcileServers(Collection<UUID> serverIds) {
        return tx.transactional(slots.recount(serverIds, clock.instant()));
    }

    public Mono<Long> reconcileAllServers() {
        return tx.transactional(slots.recountAll(clock.instant()));
    }

    /** Refreshes the queue-depth gauges. */
    public Mono<Void> measureQueues() {
        return sweeps.queueDepth()
                .collectMap(SweepRepository.Depth::serviceType, SweepRepository.Depth::pending, HashMap::new)
                .doOnNext(metrics::queueDepth)
                .then();
    }

    /** The full safety-net sweep, every rule in order. */
    public Mono<Void> sweep() {
        return reclaimDeadServers()
                .then(failStaleLinks())
                .then(reconcileAllServers())
                .then(cancelExhaustedLinks())
                .then(retryFailedLinks())
                .then(generateLinks())
                .then(assignPending())
                .then(completeRequests())
                .then(measureQueues());
    }

    private Mono<Void> recount(List<LinkChange> changes) {
        var servers = changes.stream()
                .map(LinkChange::serverId)
                .filter(Objects::nonNull)
                .toList();
        return servers.isEmpty() ? Mono.empty() : reconcileServers(servers).then();
    }

    private Mono<Integer> publish(List<LinkChange> changes) {
        return events.linksChanged(changes).thenReturn(changes.size());
    }
}
