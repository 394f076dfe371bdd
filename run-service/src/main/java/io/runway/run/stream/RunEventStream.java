package io.runway.run.stream;

import io.runway.run.stream.RunEventRepository.RunHead;
import reactor.core.publisher.Mono;

/** One subscriber's stream of a run, opened (the run found, the caller allowed) but not yet written anywhere. */
public final class RunEventStream {

    private final RunHead head;
    private final long resumeAfter;
    private final EventFormat.Renderer renderer;
    private final RunStreamParts parts;
    private final SseFrame hello;

    RunEventStream(
            RunHead head, long resumeAfter, EventFormat.Renderer renderer, RunStreamParts parts, SseFrame hello) {
        this.head = head;
        this.resumeAfter = resumeAfter;
        this.renderer = renderer;
        this.parts = parts;
        this.hello = hello;
    }

    /** The stream's first frame: the {@code retry:} hint and a comment, so that proxies see bytes at once. */
    public SseFrame hello() {
        return hello;
    }

    /**
     * Writes the events after the resume point, then live ones, to {@code connection}; completes when the stream ends
     * (the run's end, a slow subscriber cut off, a failure, shutdown). Cancelling it stops the writing (the client left).
     */
    public Mono<Void> writeTo(SubscriberConnection connection) {
        return Mono.create(end -> {
            var subscriber = new RunSubscriber(head, resumeAfter, connection, renderer, parts, end);
            var loop = connection.loop();
            end.onCancel(() -> loop.execute(subscriber::cancel));
            loop.execute(subscriber::start);
        });
    }
}
