package io.runway.run.stream;

import io.runway.run.runs.AppendedEvents;
import io.runway.run.runs.CommittedEvents;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;

/**
 * Live streaming's side of {@link CommittedEvents}: called where events are appended to {@code run_events}, it
 * announces them once (and only if) the surrounding transaction commits, or at once for a statement that committed
 * on its own. The announcement is an in-memory hand-off, so a commit is
 * never slowed by Redis or by subscribers.
 */
@Component
final class RunEventPublisher implements CommittedEvents {

    private final RunEventBus bus;

    RunEventPublisher(RunEventBus bus) {
        this.bus = bus;
    }

    @Override
    public Mono<Void> afterCommit(List<AppendedEvents> appended) {
        var events = stored(appended);
        return TransactionSynchronizationManager.forCurrentTransaction()
                // Without synchronization nothing is announced early: the poller delivers the events after commit.
                .filter(TransactionSynchronizationManager::isSynchronizationActive)
                .doOnNext(manager -> manager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public Mono<Void> afterCommit() {
                        return Mono.fromRunnable(() -> bus.committed(events));
                    }
                }))
                // Outside a transaction the statement has already committed.
                .onErrorResume(NoTransactionException.class, e -> Mono.fromRunnable(() -> bus.committed(events)))
                .then();
    }

    @Override
    public void committed(List<AppendedEvents> appended) {
        bus.committed(stored(appended));
    }

    private static List<StoredEvent> stored(List<AppendedEvents> appended) {
        var stored = new ArrayList<StoredEvent>();
        for (var run : appended) {
            var events = run.events();
            for (int i = 0; i < events.size(); i++) {
                var event = events.get(i);
                stored.add(new StoredEvent(
                        run.runId(),
                        run.firstSeq() + i,
                        event.type(),
                        event.stepKey(),
                        event.status(),
                        run.progress().get(i),
                        event.message(),
                        run.at(),
                        run.traceparent()));
            }
        }
        return List.copyOf(stored);
    }
}
