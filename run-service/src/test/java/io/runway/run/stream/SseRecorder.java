package io.runway.run.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Test helper: subscribes to an SSE stream in the background and lets the test thread wait for what arrives. */
final class SseRecorder implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final BlockingQueue<ServerSentEvent<String>> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Disposable subscription;

    SseRecorder(Flux<ServerSentEvent<String>> stream) {
        subscription = stream.subscribe(received::add, done::completeExceptionally, () -> done.complete(null));
    }

    /** The next event or comment. */
    ServerSentEvent<String> next() {
        try {
            var event = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                fail("no SSE event within %s (stream done: %s)", WAIT, done.isDone());
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next event that carries data, skipping comments. */
    ServerSentEvent<String> nextEvent() {
        var event = next();
        while (event.data() == null) {
            event = next();
        }
        return event;
    }

    /** The ids of the next {@code count} data events. */
    List<Long> nextIds(int count) {
        var ids = new ArrayList<Long>();
        for (int i = 0; i < count; i++) {
            ids.add(Long.parseLong(nextEvent().id()));
        }
        return ids;
    }

    /** Waits for the server to end the stream, and checks that no data event came before the end. */
    void awaitEnd() {
        try {
            done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("stream did not end", e);
        }
        assertThat(received.stream().filter(event -> event.data() != null)).isEmpty();
    }

    boolean ended() {
        return done.isDone();
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
