package io.runway.run.stream;

import io.runway.run.stream.RunEventRepository.RunHead;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * This instance's local fan-outs: one {@link RunFanout} per run that has subscribers here, created by the first
 * subscriber and released when the last one leaves. Only the event bus's single dispatch thread delivers into them.
 */
@Component
class RunChannels {

    private final Map<UUID, RunFanout> fanouts = new ConcurrentHashMap<>();
    private final long lingerNanos;
    private final FanoutLag lag;

    RunChannels(RunEventsProperties properties, FanoutLag lag) {
        this.lingerNanos = Math.max(0, properties.writeLinger().toNanos());
        this.lag = lag;
    }

    /**
     * Adds a subscriber to the run's lane for its connection's thread; called on that thread. {@code head} was read
     * before: every event up to its sequence was committed before this subscription, so a new fan-out need not fetch
     * them.
     */
    Membership join(RunHead head, RunSubscriber subscriber) {
        var runId = head.runId();
        var fanout = fanouts.compute(runId, (id, existing) -> {
            var f = existing == null ? new RunFanout(head, lingerNanos, lag) : existing;
            f.subscribers++;
            return f;
        });
        var lane = fanout.lane(subscriber.connection().loop());
        lane.add(subscriber);
        return () -> {
            lane.remove(subscriber);
            release(runId, fanout);
        };
    }

    private void release(UUID runId, RunFanout fanout) {
        fanouts.computeIfPresent(runId, (id, f) -> f == fanout && --f.subscribers == 0 ? null : f);
    }

    /** The run's head from its fan-out here, or null when nobody streams it here. */
    RunHead head(UUID runId) {
        var fanout = fanouts.get(runId);
        return fanout == null ? null : fanout.head();
    }

    /** Hands one run's events, in sequence order, to its local subscribers; called from the dispatch thread only. */
    void deliver(UUID runId, List<StoredEvent> events) {
        var fanout = fanouts.get(runId);
        if (fanout != null) {
            fanout.deliver(events);
        }
    }

    /**
     * The run's events after {@code after} from this instance's memory, when it holds all of them up to at least
     * {@code committed}; null when they must be read from PostgreSQL.
     */
    List<EventFrames> recent(UUID runId, long after, long committed) {
        var fanout = fanouts.get(runId);
        return fanout == null ? null : fanout.recent(after, committed);
    }

    /** Keeps a run's events read from PostgreSQL, in sequence order without gaps, for the next replay. */
    void remember(UUID runId, List<EventFrames> events) {
        var fanout = fanouts.get(runId);
        if (fanout != null) {
            fanout.remember(events);
        }
    }

    /** Keeps that PostgreSQL held none of a run's events after {@code seq}, for the next replay. */
    void rememberNothingAfter(UUID runId, long seq) {
        var fanout = fanouts.get(runId);
        if (fanout != null) {
            fanout.rememberNothingAfter(seq);
        }
    }

    /** The runs streamed here, each with the highest sequence this instance has delivered or knows to be committed. */
    Map<UUID, Long> open() {
        var open = new HashMap<UUID, Long>();
        fanouts.forEach((id, fanout) -> open.put(id, fanout.lastSeen()));
        return open;
    }

    /** Ends every open stream of this instance (shutdown): clients reconnect, to another instance, by Last-Event-ID. */
    void closeAll() {
        fanouts.values().forEach(RunFanout::close);
    }

    int runs() {
        return fanouts.size();
    }

    /** A subscriber's place in a run's fan-out, left on its connection's thread. */
    @FunctionalInterface
    interface Membership {
        void leave();
    }
}
