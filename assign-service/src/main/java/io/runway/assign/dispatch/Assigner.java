package io.runway.assign.dispatch;

import io.runway.assign.account.AccountLimits;
import io.runway.assign.config.DispatcherProperties;
import io.runway.assign.dispatch.AssignmentRepository.Candidate;
import io.runway.assign.dispatch.AssignmentRepository.Slots;
import io.runway.assign.dispatch.AssignmentRepository.Waiting;
import io.runway.assign.event.LinkChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * One assignment transaction for one service type: lock servers with free slots, split the slots fairly among the
 * waiting requests, claim that many pending links, take the accounts' posts, hand the links out and count them on
 * the servers — all or nothing. Keeps its own rotation per service type, so each replica rotates independently.
 */
final class Assigner {

    private final AssignmentRepository repository;
    private final AccountLimits accountLimits;
    private final TransactionalOperator tx;
    private final DispatcherProperties properties;
    private final DispatchMetrics metrics;
    private final Map<String, AtomicLong> rotation = new ConcurrentHashMap<>();

    Assigner(
            AssignmentRepository repository,
            AccountLimits accountLimits,
            TransactionalOperator tx,
            DispatcherProperties properties,
            DispatchMetrics metrics) {
        this.repository = repository;
        this.accountLimits = accountLimits;
        this.tx = tx;
        this.properties = properties;
        this.metrics = metrics;
    }

    /** Runs one transaction; the result says what was handed out (nothing: time to stop). */
    Mono<Round> round(String serviceType, AccountLimits.Limits limits, Instant now) {
        var work = repository.waitingRequests(serviceType).collectList().flatMap(waiting -> {
            var pending = waiting.stream().mapToLong(Waiting::pending).sum();
            if (pending == 0) {
                return Mono.just(Round.EMPTY);
            }
            var wanted = (int) Math.min(pending, properties.assignBatchSize());
            return lockEnoughServers(serviceType, wanted, now).flatMap(servers -> {
                var free = servers.stream().mapToLong(Slots::free).sum();
                return free == 0
                        ? Mono.just(Round.EMPTY)
                        : claimAndAssign(serviceType, servers, waiting, (int) Math.min(free, wanted), limits, now);
            });
        });
        return tx.transactional(work);
    }

    /** Locks only as many of the best eligible servers as the wanted links need, so other replicas get the rest. */
    private Mono<List<Slots>> lockEnoughServers(String serviceType, int wanted, Instant now) {
        var thresholds = new AssignmentRepository.Thresholds(
                properties.cpuThreshold(), properties.ramThreshold(), properties.diskThreshold());
        return repository
                .eligibleServers(
                        serviceType, now.minus(properties.deadAfter()), thresholds, properties.serverBatchSize())
                .collectList()
                .flatMap(candidates -> {
                    var chosen = new ArrayList<UUID>();
                    long covered = 0;
                    for (var candidate : candidates) {
                        if (covered >= wanted) {
                            break;
                        }
                        chosen.add(candidate.serverId());
                        covered += candidate.free();
                    }
                    return chosen.isEmpty()
                            ? Mono.just(List.<Slots>of())
                            : repository
                                    .lockServers(chosen.toArray(UUID[]::new))
                                    .collectList();
                });
    }

    private Mono<Round> claimAndAssign(
            String serviceType,
            List<Slots> servers,
            List<Waiting> waiting,
            int slots,
            AccountLimits.Limits limits,
            Instant now) {
        var ordered = rotate(serviceType, waiting);
        var shares =
                FairShare.allocate(ordered.stream().mapToLong(Waiting::pending).toArray(), slots);
        var requests = new ArrayList<UUID>();
        var quotas = new ArrayList<Integer>();
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] > 0) {
                requests.add(ordered.get(i).requestId());
                quotas.add(shares[i]);
            }
        }
        return repository
                .claim(serviceType, requests.toArray(UUID[]::new), quotas.toArray(Integer[]::new), limits, now)
                .collectList()
                .flatMap(candidates -> takePosts(candidates, limits, now))
                .flatMap(accepted -> handOut(servers, interleave(accepted), now))
                .map(changes -> new Round(changes, changes.isEmpty()));
    }

    /** Keeps the links without an account and, per account, one link whose post the ledger granted. */
    private Mono<List<Candidate>> takePosts(List<Candidate> candidates, AccountLimits.Limits limits, Instant now) {
        var seen = new HashSet<UUID>();
        var kept = new ArrayList<Candidate>();
        for (var c : candidates) {
            if (c.accountId() == null || seen.add(c.accountId())) {
                kept.add(c);
            }
        }
        if (seen.isEmpty()) {
            return Mono.just(kept);
        }
        return accountLimits.consume(seen, limits, now).map(granted -> {
            var accepted = kept.stream()
                    .filter(c -> c.accountId() == null || granted.contains(c.accountId()))
                    .toList();
            metrics.quotaWaits.increment(candidates.size() - accepted.size());
            return accepted;
        });
    }

    private Mono<List<LinkChange>> handOut(List<Slots> servers, List<Candidate> links, Instant now) {
        if (links.isEmpty()) {
            return Mono.just(List.of());
        }
        var linkIds = new UUID[links.size()];
        var serverIds = new UUID[links.size()];
        var perServer = new LinkedHashMap<UUID, Integer>();
        var next = 0;
        for (var server : servers) {
            for (int i = 0; i < server.free() && next < links.size(); i++, next++) {
                linkIds[next] = links.get(next).linkId();
                serverIds[next] = server.serverId();
                perServer.merge(server.serverId(), 1, Integer::sum);
            }
        }
        var dueSince = new HashMap<UUID, Instant>();
        links.forEach(c -> dueSince.put(c.linkId(), c.dueSince()));
        return repository
                .assign(linkIds, serverIds, now)
                .map(c -> withWait(c, dueSince.get(c.linkId()), now))
                .collectList()
                .flatMap(changes -> repository
                        .addActiveTasks(
                                perServer.keySet().toArray(UUID[]::new),
                                perServer.values().toArray(Integer[]::new),
                                now)
                        .flatMap(updated -> updated == perServer.size() && changes.size() == links.size()
                                ? Mono.just(changes)
                                : Mono.error(new IllegalStateException(
                                        "slot guard refused an assignment; rolling the round back"))));
    }

    private static LinkChange withWait(LinkChange change, Instant dueSince, Instant now) {
        var waited = dueSince == null
                ? null
                : Math.max(0, Duration.between(dueSince, now).toMillis());
        return new LinkChange(change.linkId(), change.requestId(), change.serverId(), change.status(), waited);
    }

    /** Starts the request list at a position that advances every round, so leftover slots rotate among requests. */
    private List<Waiting> rotate(String serviceType, List<Waiting> waiting) {
        var start = (int)
                (rotation.computeIfAbsent(serviceType, t -> new AtomicLong()).getAndIncrement() % waiting.size());
        var ordered = new ArrayList<Waiting>(waiting.size());
        ordered.addAll(waiting.subList(start, waiting.size()));
        ordered.addAll(waiting.subList(0, start));
        return ordered;
    }

    /** Orders claimed links round-robin across requests, so every server gets a mix. */
    private static List<Candidate> interleave(List<Candidate> links) {
        var byRequest = new LinkedHashMap<UUID, List<Candidate>>();
        links.forEach(c ->
                byRequest.computeIfAbsent(c.requestId(), r -> new ArrayList<>()).add(c));
        var out = new ArrayList<Candidate>(links.size());
        for (int rank = 0; out.size() < links.size(); rank++) {
            for (var group : byRequest.values()) {
                if (rank < group.size()) {
                    out.add(group.get(rank));
                }
            }
        }
        return out;
    }

    /** The outcome of one round: the links handed out, and whether it handed out nothing (time to stop). */
    record Round(List<LinkChange> assigned, boolean exhausted) {
        static final Round EMPTY = new Round(List.of(), true);
    }
}
