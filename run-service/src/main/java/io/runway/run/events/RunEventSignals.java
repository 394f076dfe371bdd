package io.runway.run.events;

import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * In-process wake-ups: after a transaction that wrote run events commits, local streams of that run read PostgreSQL at
 * once instead of at their next poll. Best effort by design (a missed wake-up only delays delivery until the poll);
 * events from other instances arrive by the poll until Redis fan-out exists.
 */
@Component
public class RunEventSignals {

    private final Sinks.Many<UUID> changes = Sinks.many().multicast().directBestEffort();

    public void changed(UUID runId) {
        synchronized (changes) {
            changes.tryEmitNext(runId);
        }
    }

    Flux<UUID> changes() {
        return changes.asFlux();
    }
}
