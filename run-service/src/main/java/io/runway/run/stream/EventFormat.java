package io.runway.run.stream;

import java.util.UUID;
import reactor.core.publisher.Mono;

/** How one API face writes run events as SSE, and where a new subscriber (without Last-Event-ID) starts. */
public interface EventFormat {

    /** The sequence after which a new subscriber's replay starts, given the run's last sequence. */
    long newSubscriberStartsAfter(long headSeq);

    /** A renderer for one subscriber whose stream resumes after {@code resumeAfter}. */
    Mono<Renderer> renderer(UUID runId, long resumeAfter);

    /**
     * Writes one subscriber's events; called in sequence order. Subscribers that render an event alike share its frame
     * ({@link EventFrames#frame}).
     */
    @FunctionalInterface
    interface Renderer {
        SseFrame render(EventFrames event);
    }
}
