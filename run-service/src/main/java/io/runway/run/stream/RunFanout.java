package io.runway.run.stream;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One run's fan-out on this instance, from its first subscriber here to its last: each event is wrapped once in
 * {@link EventFrames}, so that its frames are encoded once for all the run's subscribers.
 */
final class RunFanout {

    private final Sinks.Many<EventFrames> sink = Sinks.many().multicast().directBestEffort();
    private final AtomicLong lastSeen;
    int subscribers;

    RunFanout(long knownSeq) {
        this.lastSeen = new AtomicLong(knownSeq);
    }

    Flux<EventFrames> events() {
        return sink.asFlux();
    }

    /** Emits the run's events in sequence order; called from the dispatch thread only. */
    void deliver(List<StoredEvent> events) {
        for (var event : events) {
            lastSeen.accumulateAndGet(event.seq(), Math::max);
            // Zero subscribers (the last one just left) is the only failure a serialized direct sink can report.
            sink.tryEmitNext(new EventFrames(event, true));
        }
    }

    /** The highest sequence this instance has delivered or knows to be committed. */
    long lastSeen() {
        return lastSeen.get();
    }

    void close() {
        sink.tryEmitComplete();
    }
}
