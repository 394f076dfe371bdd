package io.runway.run.stream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One run's fan-out on this instance, from its first subscriber here to its last. Each event is wrapped once in
 * {@link EventFrames}, so that its frames are encoded once for all the run's subscribers, and handed to one lane per
 * event loop that serves subscribers: the lane's subscribers get it on their connection's own thread, which writes it
 * to their sockets at once, every event loop working on its share of the subscribers at the same time.
 */
final class RunFanout {

    private final Map<Executor, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicLong lastSeen;
    int subscribers;

    RunFanout(long knownSeq) {
        this.lastSeen = new AtomicLong(knownSeq);
    }

    /** The run's events, emitted on {@code lane} (the subscriber's event loop; a direct executor for the caller's). */
    Flux<EventFrames> events(Executor lane) {
        return lanes.computeIfAbsent(lane, Lane::new).sink.asFlux();
    }

    /** Hands the run's events, in sequence order, to every lane; called from the dispatch thread only. */
    void deliver(List<StoredEvent> events) {
        var frames = new EventFrames[events.size()];
        for (int i = 0; i < frames.length; i++) {
            lastSeen.accumulateAndGet(events.get(i).seq(), Math::max);
            frames[i] = new EventFrames(events.get(i), true);
        }
        lanes.values().forEach(lane -> lane.emit(frames));
    }

    /** The highest sequence this instance has delivered or knows to be committed. */
    long lastSeen() {
        return lastSeen.get();
    }

    void close() {
        lanes.values().forEach(Lane::close);
    }

    /** The subscribers served by one event loop; only that event loop emits into the sink. */
    private static final class Lane {

        final Executor executor;
        final Sinks.Many<EventFrames> sink = Sinks.many().multicast().directBestEffort();

        Lane(Executor executor) {
            this.executor = executor;
        }

        void emit(EventFrames[] frames) {
            run(() -> {
                for (var frame : frames) {
                    // Zero subscribers (the last one just left) is the only failure a serialized direct sink reports.
                    sink.tryEmitNext(frame);
                }
            });
        }

        void close() {
            run(sink::tryEmitComplete);
        }

        /** On the lane's event loop; on the caller's thread once that loop is shutting down and serves no one. */
        private void run(Runnable task) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        }
    }
}
