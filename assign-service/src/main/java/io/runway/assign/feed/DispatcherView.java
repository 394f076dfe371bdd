package io.runway.assign.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.assign.config.FeedProperties;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The dispatcher view: one point per frame interval (hand-outs per second, pending links, p99 time to assignment);
 * a page that opens it gets the points kept so far, then each new one.
 */
@Component
class DispatcherView {

    private final FeedRepository repository;
    private final FeedEvents events;
    private final Clock clock;
    private final int history;
    private final ArrayDeque<DispatcherPoint> points = new ArrayDeque<>();
    private final FrameLoop loop;

    DispatcherView(
            FeedRepository repository,
            FeedEvents events,
            FeedProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.repository = repository;
        this.events = events;
        this.clock = clock;
        this.history = properties.history();
        this.loop =
                new FrameLoop("dispatcher", properties, Flux.interval(properties.frameInterval()), this::frame, meters);
    }

    Flux<Frame> watch() {
        return loop.watch();
    }

    private Mono<Frame> frame(boolean full) {
        var at = clock.instant();
        return repository.pendingLinks().map(pending -> {
            var reading = events.assignments.read();
            var point = new DispatcherPoint(at, reading.perSecond(), pending, reading.p99Millis());
            synchronized (points) {
                if (points.size() >= history) {
                    points.removeFirst();
                }
                points.addLast(point);
                return new Frame(full, at, full ? List.copyOf(points) : List.of(point));
            }
        });
    }
}
