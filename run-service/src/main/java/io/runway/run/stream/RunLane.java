package io.runway.run.stream;

import java.util.ArrayList;
import java.util.concurrent.Executor;

/**
 * A run's subscribers whose connections one thread writes (a Netty event loop). The dispatch thread hands each batch
 * of events to the lane once; the lane's thread writes them to each of its subscribers. Its list is touched on that
 * thread only.
 */
final class RunLane {

    final Executor loop;
    private final FanoutLag lag;
    private final ArrayList<RunSubscriber> subscribers = new ArrayList<>();
    private boolean emitting;
    private boolean leftWhileEmitting;

    RunLane(Executor loop, FanoutLag lag) {
        this.loop = loop;
        this.lag = lag;
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

    void emit(EventFrames[] events) {
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

    void finishAll() {
        for (var subscriber : new ArrayList<>(subscribers)) {
            subscriber.finish();
        }
    }
}
