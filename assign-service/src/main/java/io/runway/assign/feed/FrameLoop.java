package io.runway.assign.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.runway.assign.config.FeedProperties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The frames of one view, built once and shared by every page watching it, whatever their number. A change is sent
 * at once when the view has been quiet for a frame interval, else at the end of it, so a page gets at most one frame
 * per interval and never waits longer than one. Builds never overlap; a page that joins gets a full frame first,
 * and the loop stops while no page watches.
 */
final class FrameLoop {

    private static final Logger log = LoggerFactory.getLogger(FrameLoop.class);

    private final String view;
    private final Function<Boolean, Mono<Frame>> build;
    private final AtomicBoolean fullWanted = new AtomicBoolean(true);
    private final Sinks.Many<Boolean> joined = Sinks.many().multicast().directBestEffort();
    private final AtomicInteger watching = new AtomicInteger();
    private final Counter fullFrames;
    private final Counter changeFrames;
    private final Counter failures;
    private final Flux<Frame> frames;

    /**
     * @param triggers signals that something in the view changed (or, for a chart, that a point is due)
     * @param build reads a frame: every row when given true, else the changed ones (empty when nothing changed)
     */
    FrameLoop(
            String view,
            FeedProperties properties,
            Flux<?> triggers,
            Function<Boolean, Mono<Frame>> build,
            MeterRegistry meters) {
        this.view = view;
        this.build = build;
        this.fullFrames = meters.counter("admin.feed.frames", "view", view, "kind", "full");
        this.changeFrames = meters.counter("admin.feed.frames", "view", view, "kind", "changes");
        this.failures = meters.counter("admin.feed.failures", "view", view);
        meters.gauge("admin.feed.subscribers", List.of(Tag.of("view", view)), watching);
        var interval = properties.frameInterval();
        var safetyNet =
                Flux.interval(properties.fullEvery(), properties.fullEvery()).doOnNext(tick -> fullWanted.set(true));
        this.frames = Flux.merge(Flux.just(0L), joined.asFlux(), safetyNet, triggers)
                .onBackpressureLatest()
                .concatMap(
                        signal -> Mono.defer(this::next)
                                .concatWith(Mono.delay(interval).then(Mono.empty())),
                        1)
                .share();
    }

    /** The frames for one more page: a full one first, then changes. */
    Flux<Frame> watch() {
        return frames.doOnSubscribe(subscription -> {
                    watching.incrementAndGet();
                    fullWanted.set(true);
                    joined.emitNext(Boolean.TRUE, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(50)));
                })
                .doFinally(signal -> watching.decrementAndGet())
                .skipUntil(Frame::full);
    }

    private Mono<Frame> next() {
        boolean full = fullWanted.getAndSet(false);
        return build.apply(full)
                .doOnNext(frame -> (frame.full() ? fullFrames : changeFrames).increment())
                .onErrorResume(e -> {
                    // the changes taken for this frame are lost with it: the next frame is a full one
                    fullWanted.set(true);
                    failures.increment();
                    log.warn("admin feed {}: could not build a frame, the next one is full: {}", view, e.toString());
                    return Mono.empty();
                });
    }
}
