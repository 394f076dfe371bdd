package io.runway.run.stream;

import java.time.Duration;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** Reads what a subscriber missed: from the run's recent events in memory when they cover it, else from PostgreSQL. */
@Component
class RunReplays {

    private static final int ATTEMPTS = 5;

    private final RunEventRepository repository;
    private final RunChannels channels;
    private final RunEventMetrics metrics;
    private final int page;

    RunReplays(
            RunEventRepository repository,
            RunChannels channels,
            RunEventMetrics metrics,
            RunEventsProperties properties) {
        this.repository = repository;
        this.channels = channels;
        this.metrics = metrics;
        this.page = properties.replayPage();
    }

    /**
     * Events {@code after < seq <= upTo}: from this instance's memory when it holds every one up to {@code committed}
     * (then possibly a few more), else one page from PostgreSQL.
     */
    Mono<ReplayPage> page(UUID runId, long after, long upTo, long committed) {
        var recent = channels.recent(runId, after, committed);
        metrics.replayed(recent != null);
        if (recent != null) {
            return Mono.just(new ReplayPage(recent, true));
        }
        return repository
                .between(runId, after, upTo, page)
                .collectList()
                // A burst of subscribers replaying at once can outwait the connection pool: wait and read again.
                .retryWhen(Retry.backoff(ATTEMPTS, Duration.ofMillis(200))
                        .filter(DataAccessException.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .map(events -> {
                    var frames = events.stream()
                            .map(event -> new EventFrames(event, true))
                            .toList();
                    if (frames.isEmpty()) {
                        if (upTo == Long.MAX_VALUE) {
                            channels.rememberNothingAfter(runId, after);
                        }
                        return new ReplayPage(frames, true);
                    }
                    channels.remember(runId, frames);
                    boolean complete = events.size() < page
                            || events.get(events.size() - 1).seq() == upTo;
                    return new ReplayPage(frames, complete);
                });
    }
}
