package io.runway.run.stream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A run's subscribers whose connections one thread writes (a Netty event loop). The dispatch thread hands each batch
 * of events to the lane once; the lane's thread writes them to each of its subscribers. Everything here is touched on
 * that thread only.
 *
 * <p>A lane writes at once when it has not written for its linger; events that come sooner wait until the linger
 * since its last write is over and then go out together, one write per subscriber for all of them. Under a fast run
 * that turns a system call per subscriber and event into one per subscriber and linger; a quiet run's event is not
 * held at all.
 */
final class RunLane {

    final ScheduledExecutorService loop;
    private final long lingerNanos;
    private final FanoutLag lag;
    private final ArrayList<RunSubscriber> subscribers = new ArrayList<>();
    private final ArrayList<EventFrames> lingering = new ArrayList<>();
    private long lastWrite;
    private boolean writeScheduled;
    private boolean emitting;
    private boolean leftWhileEmitting;

    RunLane(ScheduledExecutorService loop, long lingerNanos, FanoutLag lag) {
        this.loop = loop;
        this.lingerNanos = lingerNanos;
        this.lag = lag;
        this.lastWrite = System.nanoTime() - lingerNanos;
    }

    void add(RunSubscriber subscriber) {
        subscribers.add(subscriber);
    }

    void remove(RunSubscriber subscriber) {
        if (emitting) {
            leftWhileEmitting = true;
            return;
        }
        int at = subscribers.lastIndexOf(subscriber);
        if (at >= 0) {
            var last = subscribers.remove(subscribers.size() - 1);
            if (last != subscriber) {
                subscribers.set(at, last);
            }
        }
    }

    /** The run's next events, in sequence order: written now, or with the others of the linger once it is over. */
    void offer(EventFrames[] events) {
        if (writeScheduled) {
            Collections.addAll(lingering, events);
            return;
        }
        long now = System.nanoTime();
        long wait = lastWrite + lingerNanos - now;
        if (wait <= 0) {
            lastWrite = now;
            emit(events);
            return;
        }
        Collections.addAll(lingering, events);
        writeScheduled = true;
        loop.schedule(this::emitLingering, wait, TimeUnit.NANOSECONDS);
    }

    private void emitLingering() {
        writeScheduled = false;
        if (lingering.isEmpty()) {
            return;
        }
        lastWrite = System.nanoTime();
        var events = lingering.toArray(new EventFrames[0]);
        lingering.clear();
        emit(events);
    }

    private void emit(EventFrames[] events) {
        emitting = true;
        try {
            for (int i = 0; i < subscribers.size(); i++) {
                var subscriber = subscribers.get(i);
                if (!subscriber.closed()) {
                    subscriber.deliver(events);
                }
            }
        } finally {
            emitting = false;
        }
        if (!subscribers.isEmpty()) {
            lag.written(events[0].event());
        }
        if (leftWhileEmitting) {
            leftWhileEmitting = false;
            subscribers.removeIf(RunSubscriber::closed);
        }
    }

    /** Writes what lingers, then ends every subscriber's stream (shutdown). */
    void finishAll() {
        emitLingering();
        for (var subscriber : new ArrayList<>(subscribers)) {
            subscriber.finish();
        }
    }
}
