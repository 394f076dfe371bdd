package io.runway.worker.task;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.R2dbcException;
import io.runway.common.likepion.LikepionEvent;
import io.runway.worker.event.EventPublisher;
import io.runway.worker.server.ActiveServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Lists a server's tasks and applies its task updates. A batch of updates costs a fixed number of statements
 * whatever its size: one locking read, one update; each item is judged on its own and refused items change nothing.
 */
@Service
public class TaskService {

    private static final String NOT_YOUR_TASK = "not_your_task";
    private static final Set<String> RETRYABLE_SQLSTATES = Set.of("40001", "40P01");

    private final TaskRepository repository;
    private final TransactionalOperator tx;
    private final EventPublisher events;
    private final Clock clock;
    private final Counter fenced;

    TaskService(
            TaskRepository repository,
            TransactionalOperator tx,
            EventPublisher events,
            Clock clock,
            MeterRegistry meters) {
        this.repository = repository;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
        // A server writing to a link that was taken back from it (reclaimed as dead, then handed to another server).
        this.fenced = Counter.builder("worker.writes.fenced")
                .description("Task updates refused because the link is no longer assigned to the writing server")
                .register(meters);
    }

    Mono<TaskPage> list(ActiveServer server, TaskQuery query) {
        var page = repository.page(server.id(), query).collectList();
        var total = repository.count(server.id(), query);
        return Mono.zip(page, total, (rows, count) -> {
            boolean more = rows.size() > query.limit();
            var data = more ? rows.subList(0, query.limit()) : rows;
            var cursor = more ? data.get(data.size() - 1).id() : null;
            return new TaskPage(server.id(), server.name(), data, count, query.page(), query.limit(), cursor);
        });
    }

    /** Applies updates sent by a server; the results are in the order of the updates. */
    public Mono<List<ItemResult>> update(ActiveServer server, List<TaskUpdate> updates) {
        var results = new ItemResult[updates.size()];
        var valid = new LinkedHashMap<UUID, Integer>();
        var targets = new LinkedHashMap<UUID, TaskStatus>();
        for (int i = 0; i < updates.size(); i++) {
            var update = updates.get(i);
            var refusal = validate(update, valid.keySet());
            if (refusal != null) {
                results[i] = refusal;
                continue;
            }
            var id = UUID.fromString(update.linkId());
            valid.put(id, i);
            targets.put(
                    id,
                    update.status() == null
                            ? null
                            : TaskStatus.parse(update.status()).orElseThrow());
        }
        if (valid.isEmpty()) {
            return Mono.just(List.of(results));
        }
        var now = clock.instant();
        return Mono.defer(() -> tx.transactional(applyLocked(server, updates, valid, targets, results, now)))
                .retryWhen(Retry.backoff(3, Duration.ofMillis(20)).filter(TaskService::isRetryable))
                .doOnNext(changed -> publish(changed, now))
                .doOnNext(changed -> countFenced(results))
                .thenReturn(results)
                .map(List::of);
    }

    private void countFenced(ItemResult[] results) {
        for (var result : results) {
            if (NOT_YOUR_TASK.equals(result.error())) {
                fenced.increment();
            }
        }
    }

    private Mono<List<ChangedLink>> applyLocked(
            ActiveServer server,
            List<TaskUpdate> updates,
            Map<UUID, Integer> valid,
            Map<UUID, TaskStatus> targets,
            ItemResult[] results,
            Instant now) {
        return repository
                .lock(valid.keySet())
                .collectMap(LockedLink::id, Function.identity())
                .flatMap(locked -> {
                    var changes = new ArrayList<LinkChange>();
                    valid.forEach((id, index) -> {
                        var update = updates.get(index);
                        var change = judge(server, locked.get(id), targets.get(id), update, id);
                        results[index] = change.result();
                        if (change.change() != null) {
                            changes.add(change.change());
                        }
                    });
                    var statusChanges = changes.stream()
                            .filter(LinkChange::statusChanged)
                            .map(LinkChange::id)
                            .collect(Collectors.toSet());
                    return changes.isEmpty()
                            ? Mono.just(List.<ChangedLink>of())
                            : repository
                                    .apply(server.id(), changes, now)
                                    .filter(c -> statusChanges.contains(c.id()))
                                    .collectList();
                });
    }

    private static Judgement judge(
            ActiveServer server, LockedLink link, TaskStatus target, TaskUpdate update, UUID id) {
        var linkId = update.linkId();
        if (link == null) {
            return Judgement.refused(ItemResult.refused(linkId, "not_found", "task does not exist"));
        }
        if (!server.id().equals(link.serverId())) {
            return Judgement.refused(ItemResult.refused(linkId, NOT_YOUR_TASK, "task is not assigned to this server"));
        }
        var to = target == null ? link.status() : target;
        if (!link.status().canMoveTo(to)) {
            return Judgement.refused(ItemResult.refused(
                    linkId,
                    "invalid_transition",
                    "a task cannot go from " + link.status().wire() + " to " + to.wire()));
        }
        var change = new LinkChange(id, link.status(), to, update, to == TaskStatus.COMPLETED && !link.counted());
        if (change.isRetry() && link.retryCount() >= link.maxRetries()) {
            return Judgement.refused(ItemResult.refused(
                    linkId,
                    "invalid_transition",
                    "no retries left (" + link.retryCount() + " of " + link.maxRetries() + ")"));
        }
        return new Judgement(ItemResult.ok(linkId), change);
    }

    private static ItemResult validate(TaskUpdate update, Set<UUID> seen) {
        if (update == null || update.linkId() == null) {
            return ItemResult.refused(null, "invalid", "link_id is required");
        }
        UUID id;
        try {
            id = UUID.fromString(update.linkId());
        } catch (IllegalArgumentException e) {
            return ItemResult.refused(update.linkId(), "invalid", "link_id must be a UUID");
        }
        if (update.status() != null && TaskStatus.parse(update.status()).isEmpty()) {
            return ItemResult.refused(update.linkId(), "invalid", "unknown status: " + update.status());
        }
        var problem = update.problem();
        if (problem != null) {
            return ItemResult.refused(update.linkId(), "invalid", problem);
        }
        if (seen.contains(id)) {
            return ItemResult.refused(update.linkId(), "invalid", "link_id appears more than once in the batch");
        }
        return null;
    }

    private void publish(List<ChangedLink> changed, Instant at) {
        events.publish(changed.stream()
                .map(c -> LikepionEvent.linkStatus(c.id(), c.requestId(), c.serverId(), c.status(), null, at))
                .toList());
    }

    private static boolean isRetryable(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof R2dbcException r2dbc
                    && r2dbc.getSqlState() != null
                    && RETRYABLE_SQLSTATES.contains(r2dbc.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private record Judgement(ItemResult result, LinkChange change) {

        static Judgement refused(ItemResult result) {
            return new Judgement(result, null);
        }
    }
}
