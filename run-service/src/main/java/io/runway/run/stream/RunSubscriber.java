package io.runway.run.stream;

import io.runway.common.web.RequestIds;
import io.runway.run.stream.RunEventRepository.RunHead;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.MonoSink;

/**
 * One subscriber of a run on this instance: its replay, then the live events its lane hands it, written straight to
 * its connection. Everything here runs on the connection's thread ({@link SubscriberConnection#loop()}), so the state
 * needs no lock. Each event is written only if it is the next sequence; older ones are skipped and a jump ahead is
 * filled by a replay first. Live events that arrive during a replay, or while the connection takes nothing, wait in a
 * bounded queue; one more than it holds cuts the subscriber off (it resumes by Last-Event-ID).
 */
final class RunSubscriber {

    private static final Logger log = LoggerFactory.getLogger(RunSubscriber.class);
    private static final SseFrame KEEP_ALIVE = SseFrame.comment("keep-alive");
    private static final long RETRY_MILLIS = 10;

    private final RunHead head;
    private final SubscriberConnection connection;
    private final EventFormat.Renderer renderer;
    private final RunStreamParts parts;
    private final MonoSink<Void> end;
    private final ArrayDeque<EventFrames> held = new ArrayDeque<>();
    private RunChannels.Membership membership;
    private ScheduledFuture<?> keepAlive;
    private Disposable replay;
    private long cursor;
    private boolean replaying;
    private boolean retryScheduled;
    private boolean dirty;
    private int delivered;
    private boolean closed;

    RunSubscriber(
            RunHead head,
            long resumeAfter,
            SubscriberConnection connection,
            EventFormat.Renderer renderer,
            RunStreamParts parts,
            MonoSink<Void> end) {
        this.head = head;
        this.cursor = resumeAfter;
        this.connection = connection;
        this.renderer = renderer;
        this.parts = parts;
        this.end = end;
    }

    SubscriberConnection connection() {
        return connection;
    }

    /** Joins the run's lane for this connection's thread, then replays what the subscriber has not seen. */
    void start() {
        if (closed) {
            return;
        }
        membership = parts.channels().join(head, this);
        parts.metrics().subscribed();
        long period = parts.properties().keepAlive().toNanos();
        keepAlive = connection.loop().scheduleAtFixedRate(this::keepAlive, period, period, TimeUnit.NANOSECONDS);
        replay(cursor, Long.MAX_VALUE, head.eventSeq());
    }

    /** Live events from the lane, in sequence order; flushed once for all of them. */
    void deliver(EventFrames[] events) {
        for (var event : events) {
            if (closed) {
                return;
            }
            offer(event);
        }
        flush();
    }

    /** Ends the stream as if the run had ended here (shutdown): the client reconnects by Last-Event-ID. */
    void finish() {
        if (closed) {
            return;
        }
        flush();
        close();
        end.success();
    }

    /** The client left: nothing more is written. */
    void cancel() {
        close();
    }

    boolean closed() {
        return closed;
    }

    private void offer(EventFrames event) {
        if (dirty && !connection.writable()) {
            flush();
        }
        if (replaying || !held.isEmpty() || !connection.writable()) {
            hold(event);
        } else {
            accept(event);
        }
    }

    private void hold(EventFrames event) {
        if (held.size() >= parts.properties().subscriberBuffer()) {
            parts.metrics().droppedSlow();
            finish();
            return;
        }
        held.add(event);
        if (!replaying) {
            retryLater();
        }
    }

    private void accept(EventFrames event) {
        long seq = event.event().seq();
        if (seq <= cursor) {
            return;
        }
        if (seq == cursor + 1) {
            write(event, event.event().endsRun());
            return;
        }
        held.addFirst(event);
        replay(cursor, seq, seq);
    }

    private void write(EventFrames event, boolean last) {
        connection.write(renderer.render(event));
        cursor = event.event().seq();
        dirty = true;
        delivered++;
        if (last) {
            finish();
        }
    }

    private void replay(long after, long upTo, long committed) {
        replaying = true;
        var loop = connection.loop();
        replay = parts.replays()
                .page(head.runId(), after, upTo, committed)
                .subscribe(
                        page -> loop.execute(() -> replayed(page, upTo, committed)),
                        failure -> loop.execute(() -> failed(failure)));
    }

    private void replayed(ReplayPage page, long upTo, long committed) {
        if (closed) {
            return;
        }
        var events = page.events();
        for (int i = 0; i < events.size() && !closed; i++) {
            var event = events.get(i);
            if (event.event().seq() > cursor) {
                write(
                        event,
                        page.complete()
                                && i == events.size() - 1
                                && event.event().endsRun());
            }
        }
        if (closed) {
            return;
        }
        flush();
        if (page.complete()) {
            replaying = false;
            drain();
        } else {
            continueReplay(page.lastSeq(), upTo, committed);
        }
    }

    private void continueReplay(long after, long upTo, long committed) {
        if (closed) {
            return;
        }
        if (connection.writable()) {
            replay(after, upTo, committed);
        } else {
            connection
                    .loop()
                    .schedule(() -> continueReplay(after, upTo, committed), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void drain() {
        while (!closed && !replaying && !held.isEmpty()) {
            if (!connection.writable()) {
                retryLater();
                break;
            }
            accept(held.poll());
        }
        flush();
    }

    private void retryLater() {
        if (!retryScheduled && !closed) {
            retryScheduled = true;
            connection.loop().schedule(this::retry, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void retry() {
        retryScheduled = false;
        drain();
    }

    private void keepAlive() {
        if (!closed) {
            connection.write(KEEP_ALIVE);
            dirty = true;
            drain();
        }
    }

    private void failed(Throwable failure) {
        if (closed) {
            return;
        }
        // Once the response is committed an error cannot be reported: end the stream, the client resumes.
        head.inTrace(() -> RequestIds.inMdc(
                end.contextView(),
                () -> log.warn("ending a run-event stream after a failure: {}", failure.toString())));
        finish();
    }

    private void flush() {
        if (dirty) {
            dirty = false;
            connection.flush();
        }
        if (delivered > 0) {
            parts.metrics().delivered(delivered);
            delivered = 0;
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        held.clear();
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (replay != null) {
            replay.dispose();
        }
        if (membership != null) {
            membership.leave();
            parts.metrics().unsubscribed();
        }
    }
}
