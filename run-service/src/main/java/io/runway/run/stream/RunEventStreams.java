package io.runway.run.stream;

import io.runway.common.error.ApiException;
import io.runway.common.web.RequestIds;
import io.runway.run.stream.RunEventRepository.RunHead;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Opens one subscriber's stream of a run: the events after its resume point read from PostgreSQL, then live events,
 * with no gap and no duplicate. The live feed is subscribed before PostgreSQL is read; each live event is emitted only
 * if it is the next sequence, older ones are skipped and a jump ahead is filled from PostgreSQL first.
 */
@Service
public class RunEventStreams {

    private static final Logger log = LoggerFactory.getLogger(RunEventStreams.class);
    private static final Object REPLAY = new Object();
    private static final int REPLAY_ATTEMPTS = 5;
    private static final SseFrame KEEP_ALIVE = SseFrame.comment("keep-alive");

    private final RunEventRepository repository;
    private final RunChannels channels;
    private final RunEventMetrics metrics;
    private final RunEventsProperties properties;
    private final SseFrame hello;

    RunEventStreams(
            RunEventRepository repository,
            RunChannels channels,
            RunEventMetrics metrics,
            RunEventsProperties properties) {
        this.repository = repository;
        this.channels = channels;
        this.metrics = metrics;
        this.properties = properties;
        this.hello = SseFrame.retry(properties.retry(), "stream open");
    }

    /**
     * The tenant's run as a stream, resuming after {@code lastEventId} when given; empty when the run has ended and the
     * caller has seen its last event (nothing more will come). {@code writer} is the thread that writes the caller's
     * connection, where its live events are emitted.
     */
    public Mono<Flux<SseFrame>> open(String tenant, UUID runId, Long lastEventId, EventFormat format, Executor writer) {
        return repository
                .head(runId)
                .filter(head -> head.tenantId().equals(tenant))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Run not found")))
                .flatMap(head -> {
                    long resumeAfter =
                            lastEventId != null ? lastEventId : format.newSubscriberStartsAfter(head.eventSeq());
                    if (!head.status().isActive() && resumeAfter >= head.eventSeq()) {
                        return Mono.empty();
                    }
                    var cutOff = Sinks.<Void>empty();
                    return format.renderer(runId, resumeAfter)
                            .map(renderer -> withKeepAlive(
                                    events(head, resumeAfter, cutOff, writer)
                                            .map(step -> renderer.render(step.event()))
                                            .doOnNext(frame -> metrics.delivered()),
                                    cutOff,
                                    head));
                });
    }

    private Flux<Step> events(RunHead head, long resumeAfter, Sinks.Empty<Void> cutOff, Executor writer) {
        var cursor = new long[] {resumeAfter};
        var runId = head.runId();
        Flux<Object> live = channels.live(runId, head.eventSeq(), writer)
                .onBackpressureBuffer(
                        properties.subscriberBuffer(),
                        dropped -> cutOff.tryEmitEmpty(),
                        BufferOverflowStrategy.DROP_LATEST)
                .cast(Object.class);
        return Flux.merge(live, Mono.just(REPLAY))
                .concatMap(item -> item == REPLAY
                        ? catchUp(runId, cursor[0], Long.MAX_VALUE, head.eventSeq())
                        : next(runId, cursor[0], (EventFrames) item))
                .doOnNext(step -> cursor[0] = step.event().event().seq())
                .takeUntil(Step::last);
    }

    private Flux<Step> next(UUID runId, long last, EventFrames live) {
        long seq = live.event().seq();
        if (seq <= last) {
            return Flux.empty();
        }
        if (seq == last + 1) {
            return Flux.just(new Step(live, live.event().endsRun()));
        }
        return catchUp(runId, last, seq, seq);
    }

    /**
     * Events {@code after < seq <= upTo}: from this instance's memory when it holds every one up to {@code committed}
     * (then possibly a few more), else from PostgreSQL page by page. The run's end is final only if nothing follows.
     */
    private Flux<Step> catchUp(UUID runId, long after, long upTo, long committed) {
        var recent = channels.recent(runId, after, committed);
        metrics.replayed(recent != null);
        if (recent != null) {
            return steps(recent, true);
        }
        int page = properties.replayPage();
        return repository
                .between(runId, after, upTo, page)
                .collectList()
                // A burst of subscribers replaying at once can outwait the connection pool: wait and read again.
                .retryWhen(Retry.backoff(REPLAY_ATTEMPTS, Duration.ofMillis(200))
                        .filter(DataAccessException.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .flatMapMany(events -> {
                    if (events.isEmpty()) {
                        return Flux.empty();
                    }
                    var frames = events.stream()
                            .map(event -> new EventFrames(event, true))
                            .toList();
                    channels.remember(runId, frames);
                    var lastEvent = events.get(events.size() - 1);
                    boolean complete = events.size() < page || lastEvent.seq() == upTo;
                    var steps = steps(frames, complete);
                    return complete
                            ? steps
                            : steps.concatWith(Flux.defer(() -> catchUp(runId, lastEvent.seq(), upTo, committed)));
                });
    }

    private static Flux<Step> steps(List<EventFrames> frames, boolean complete) {
        if (frames.isEmpty()) {
            return Flux.empty();
        }
        var last = frames.get(frames.size() - 1);
        return Flux.fromIterable(frames.subList(0, frames.size() - 1))
                .map(frame -> new Step(frame, false))
                .concatWithValues(new Step(last, complete && last.event().endsRun()));
    }

    /**
     * Adds the retry hint, keep-alives, and the cut-off: a subscriber whose buffer overflowed is ended at once, without
     * waiting for it to read what is queued (an overflow error would wait for its demand). It resumes by Last-Event-ID.
     */
    private Flux<SseFrame> withKeepAlive(Flux<SseFrame> events, Sinks.Empty<Void> cutOff, RunHead head) {
        // A subscriber that cannot take a keep-alive does not need one: drop the tick (interval would fail instead).
        var keepAlive =
                Flux.interval(properties.keepAlive()).onBackpressureDrop().map(tick -> Optional.of(KEEP_ALIVE));
        var eventsThenEnd = events.map(Optional::of)
                // Once the response is committed an error cannot be reported: end the stream, the client resumes.
                .onErrorResume(e -> Flux.deferContextual(context -> {
                    head.inTrace(() -> RequestIds.inMdc(
                            context, () -> log.warn("ending a run-event stream after a failure: {}", e.toString())));
                    return Flux.empty();
                }))
                .concatWith(Mono.just(Optional.empty()));
        return Flux.merge(eventsThenEnd, keepAlive)
                .takeWhile(Optional::isPresent)
                .map(Optional::get)
                .startWith(hello)
                .takeUntilOther(cutOff.asMono().doOnSuccess(cut -> metrics.droppedSlow()))
                .doOnSubscribe(s -> metrics.subscribed())
                .doFinally(signal -> metrics.unsubscribed());
    }

    /** An event to emit, and whether it ends the stream (the run's end, with nothing known after it). */
    private record Step(EventFrames event, boolean last) {}
}
