package io.runway.run.stream;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * This instance's local fan-out: one multicast sink per run that has subscribers here, created by the first subscriber
 * and removed when the last one leaves. Only the event bus's single dispatch thread emits into the sinks.
 */
@Component
class RunChannels {

    private final Map<UUID, Channel> channels = new ConcurrentHashMap<>();

    /**
     * The run's live events from now on. {@code knownSeq} is the run's event sequence read before subscribing: every
     * event up to it was committed before this subscription, so a new channel need not fetch them.
     */
    Flux<StoredEvent> live(UUID runId, long knownSeq) {
        return Flux.defer(() -> {
            var channel = channels.compute(runId, (id, existing) -> {
                var c = existing == null ? new Channel(knownSeq) : existing;
                c.subscribers++;
                return c;
            });
            return channel.sink.asFlux().doFinally(signal -> release(runId, channel));
        });
    }

    private void release(UUID runId, Channel channel) {
        channels.computeIfPresent(runId, (id, c) -> c == channel && --c.subscribers == 0 ? null : c);
    }

    /** Emits one run's events, in sequence order, to its local subscribers; called from the dispatch thread only. */
    void deliver(UUID runId, List<StoredEvent> events) {
        var channel = channels.get(runId);
        if (channel == null) {
            return;
        }
        for (var event : events) {
            channel.lastSeen.accumulateAndGet(event.seq(), Math::max);
            // Zero subscribers (the last one just left) is the only failure a serialized direct sink can report.
            channel.sink.tryEmitNext(event);
        }
    }

    /** The runs streamed here, each with the highest sequence this instance has delivered or knows to be committed. */
    Map<UUID, Long> open() {
        var open = new java.util.HashMap<UUID, Long>();
        channels.forEach((id, channel) -> open.put(id, channel.lastSeen.get()));
        return open;
    }

    /** Ends every open stream of this instance (shutdown): clients reconnect, to another instance, by Last-Event-ID. */
    void closeAll() {
        channels.values().forEach(channel -> channel.sink.tryEmitComplete());
    }

    int runs() {
        return channels.size();
    }

    private static final class Channel {

        final Sinks.Many<StoredEvent> sink = Sinks.many().multicast().directBestEffort();
        final AtomicLong lastSeen;
        int subscribers;

        Channel(long knownSeq) {
            this.lastSeen = new AtomicLong(knownSeq);
        }
    }
}
