package io.runway.run.stream;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One run's fan-out on this instance, from its first subscriber here to its last: each event is wrapped once in
 * {@link EventFrames}, so that its frames are encoded once for all the run's subscribers.
 *
 * <p>Subscribers are grouped by the thread that writes their connection (their lane: a Netty event loop). The dispatch
 * thread hands each event to each lane once, and the lane's thread emits it to its subscribers, so that every socket
 * write happens on the thread that owns the socket instead of being queued to it once per subscriber.
 */
final class RunFanout {

    private static final int RECENT = 256;

    private final AtomicLong lastSeen;
    private final RecentEvents recent = new RecentEvents(RECENT);
    /** Replaced, never changed in place: written under this fan-out's lock, read by the dispatch thread. */
    private volatile Lane[] lanes = new Lane[0];

    int subscribers;

    RunFanout(long knownSeq) {
        this.lastSeen = new AtomicLong(knownSeq);
    }

    /** The events of the lane that {@code writer} runs; subscribers of one lane share one sink. */
    synchronized Flux<EventFrames> events(Executor writer) {
        for (var lane : lanes) {
            if (lane.writer == writer) {
                return lane.sink.asFlux();
            }
        }
        var lane = new Lane(writer);
        var grown = Arrays.copyOf(lanes, lanes.length + 1);
        grown[lanes.length] = lane;
        lanes = grown;
        return lane.sink.asFlux();
    }

    /** Emits the run's events in sequence order; called from the dispatch thread only. */
    void deliver(List<StoredEvent> events) {
        var frames = new EventFrames[events.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new EventFrames(events.get(i), true);
        }
        // Remembered before they are seen as delivered: a replay that reads lastSeen finds them in recent.
        recent.add(List.of(frames));
        for (var frame : frames) {
            lastSeen.accumulateAndGet(frame.event().seq(), Math::max);
        }
        for (var lane : lanes) {
            lane.writer.execute(() -> lane.emit(frames));
        }
    }

    /**
     * The run's events after {@code after} from memory, when memory holds all of them up to at least {@code committed}
     * and every event delivered here; null when they must be read from PostgreSQL.
     */
    List<EventFrames> recent(long after, long committed) {
        return recent.after(after, Math.max(committed, lastSeen.get()));
    }

    /** Keeps events read from PostgreSQL (in sequence order, without gaps) for the next subscriber's replay. */
    void remember(List<EventFrames> events) {
        recent.add(events);
    }

    /** The highest sequence this instance has delivered or knows to be committed. */
    long lastSeen() {
        return lastSeen.get();
    }

    void close() {
        for (var lane : lanes) {
            lane.writer.execute(lane.sink::tryEmitComplete);
        }
    }

    /** The subscribers written by one thread; its sink is emitted to from that thread only. */
    private static final class Lane {

        final Executor writer;
        final Sinks.Many<EventFrames> sink = Sinks.many().multicast().directBestEffort();

        Lane(Executor writer) {
            this.writer = writer;
        }

        void emit(EventFrames[] frames) {
            for (var frame : frames) {
                // Zero subscribers (the last one just left) is the only failure a serialized direct sink can report.
                sink.tryEmitNext(frame);
            }
        }
    }
}
