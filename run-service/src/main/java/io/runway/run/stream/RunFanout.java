package io.runway.run.stream;

import io.runway.run.runs.RunStatus;
import io.runway.run.stream.RunEventRepository.RunHead;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run's fan-out on this instance, from its first subscriber here to its last: each event is wrapped once in
 * {@link EventFrames}, so that its frames are encoded once for all the run's subscribers.
 *
 * <p>Subscribers are grouped by the thread that writes their connection ({@link RunLane}: a Netty event loop). The
 * dispatch thread hands each batch of events to each lane once, and the lane's thread writes them to its subscribers,
 * so that every socket write happens on the thread that owns the socket, with no task per subscriber.
 */
final class RunFanout {

    private static final int RECENT = 256;

    private final AtomicLong lastSeen;
    private final long lingerNanos;
    private final FanoutLag lag;
    private final RecentEvents recent = new RecentEvents(RECENT);
    /** Replaced as a whole by the dispatch thread, so that a state and its sequence are read together. */
    private volatile RunHead known;

    private long statusSeq;
    /** Replaced, never changed in place: written under this fan-out's lock, read by the dispatch thread. */
    private volatile RunLane[] lanes = new RunLane[0];

    int subscribers;

    RunFanout(RunHead head, long lingerNanos, FanoutLag lag) {
        this.known = head;
        this.lingerNanos = lingerNanos;
        this.lag = lag;
        this.statusSeq = head.eventSeq();
        this.lastSeen = new AtomicLong(head.eventSeq());
    }

    /**
     * The run's head as this instance knows it: its owner and trace as read by the first subscriber, the state of the
     * latest run event delivered here and the highest sequence delivered here or read then.
     */
    RunHead head() {
        return known;
    }

    /** The lane of the thread that {@code loop} is; subscribers written by one thread share one lane. */
    synchronized RunLane lane(ScheduledExecutorService loop) {
        for (var lane : lanes) {
            if (lane.loop == loop) {
                return lane;
            }
        }
        var lane = new RunLane(loop, lingerNanos, lag);
        var grown = Arrays.copyOf(lanes, lanes.length + 1);
        grown[lanes.length] = lane;
        lanes = grown;
        return lane;
    }

    /** Hands the run's events, in sequence order, to every lane; called from the dispatch thread only. */
    void deliver(List<StoredEvent> events) {
        var frames = new EventFrames[events.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new EventFrames(events.get(i), true);
        }
        // Remembered before they are seen as delivered: a replay that reads lastSeen finds them in recent.
        recent.add(List.of(frames));
        var head = known;
        var status = head.status();
        for (var frame : frames) {
            var event = frame.event();
            if (event.isRun() && event.seq() > statusSeq) {
                statusSeq = event.seq();
                status = RunStatus.fromDb(event.status());
            }
            lastSeen.accumulateAndGet(event.seq(), Math::max);
        }
        known = new RunHead(head.runId(), head.tenantId(), status, lastSeen.get(), head.traceparent());
        for (var lane : lanes) {
            lane.loop.execute(() -> lane.offer(frames));
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

    /**
     * Keeps that PostgreSQL held no event after {@code seq}, for the next subscriber who has seen as much; ignored for a
     * sequence beyond what this instance knows to be committed (a client's claim, not the run's).
     */
    void rememberNothingAfter(long seq) {
        if (seq <= lastSeen.get()) {
            recent.nothingAfter(seq);
        }
    }

    /** The highest sequence this instance has delivered or knows to be committed. */
    long lastSeen() {
        return lastSeen.get();
    }

    /** Ends every subscriber's stream (shutdown). */
    void close() {
        for (var lane : lanes) {
            lane.loop.execute(lane::finishAll);
        }
    }
}
