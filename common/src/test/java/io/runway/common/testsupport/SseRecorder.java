package io.runway.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Subscribes to an SSE stream in the background and lets the test thread wait, each wait bounded, for what arrives.
 */
public final class SseRecorder implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);

    private final BlockingQueue<ServerSentEvent<String>> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CompletableFuture<HttpHeaders> headers = new CompletableFuture<>();
    private final Disposable subscription;

    /** Subscribes at once to the stream. */
    public SseRecorder(Flux<ServerSentEvent<String>> stream) {
        this(ignoredHeaders -> stream);
    }

    /** Subscribes at once to the stream {@code open} makes; it reports the response headers to the given consumer. */
    public SseRecorder(Function<Consumer<HttpHeaders>, Flux<ServerSentEvent<String>>> open) {
        subscription = open.apply(headers::complete)
                .subscribe(received::add, done::completeExceptionally, () -> done.complete(null));
    }

    public HttpHeaders headers() {
        return await(headers, "response headers");
    }

    /** The next event or comment. */
    public ServerSentEvent<String> next() {
        try {
            var event = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                fail("no SSE frame within %s (stream ended: %s)", WAIT, describeEnd());
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next event that carries data, skipping comments and the retry hint. */
    public ServerSentEvent<String> nextEvent() {
        var event = next();
        while (event.data() == null) {
            event = next();
        }
        return event;
    }

    /** The ids of the next {@code count} data events. */
    public List<Long> nextIds(int count) {
        var ids = new ArrayList<Long>();
        for (int i = 0; i < count; i++) {
            ids.add(Long.parseLong(nextEvent().id()));
        }
        return ids;
    }

    /** Every data event still to come, once the server has ended the stream. */
    public List<ServerSentEvent<String>> eventsUntilEnd() {
        await(done, "the end of the stream");
        var events = new ArrayList<ServerSentEvent<String>>();
        received.drainTo(events);
        events.removeIf(event -> event.data() == null);
        return events;
    }

    /** Waits for the server to end the stream and checks that no data event came before the end. */
    public void awaitEnd() {
        assertThat(eventsUntilEnd()).isEmpty();
    }

    public boolean ended() {
        return done.isDone();
    }

    private String describeEnd() {
        if (!done.isDone()) {
            return "no";
        }
        try {
            done.join();
            return "yes";
        } catch (CompletionException e) {
            return "with an error: " + e.getCause();
        }
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("waiting for " + what + " (at most " + WAIT + ")", e);
        }
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
