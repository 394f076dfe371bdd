package io.runway.assign.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.assign.config.DispatcherProperties;
import io.runway.assign.config.FeedProperties;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The campaigns view: the newest requests with their link counts, then the requests whose links or status changed
 * and those still completing links (their rate moves); stale links as the dispatcher's stale timeout defines them.
 */
@Component
class CampaignsView {

    private final FeedRepository repository;
    private final FeedEvents events;
    private final FeedProperties properties;
    private final DispatcherProperties dispatcher;
    private final Clock clock;
    private final FrameLoop loop;

    CampaignsView(
            FeedRepository repository,
            FeedEvents events,
            FeedProperties properties,
            DispatcherProperties dispatcher,
            Clock clock,
            MeterRegistry meters) {
        this.repository = repository;
        this.events = events;
        this.properties = properties;
        this.dispatcher = dispatcher;
        this.clock = clock;
        var rateTicks = Flux.interval(properties.frameInterval().multipliedBy(5));
        this.loop = new FrameLoop(
                "campaigns", properties, Flux.merge(events.requestChanges(), rateTicks), this::frame, meters);
    }

    Flux<Frame> watch() {
        return loop.watch();
    }

    private Mono<Frame> frame(boolean full) {
        var at = clock.instant();
        var staleBefore = at.minus(dispatcher.staleTimeout());
        var rates = events.rates.perMinute();
        if (full) {
            events.requests.clear();
            return repository
                    .campaigns(null, staleBefore, properties.maxCampaigns())
                    .map(row -> row.withRate(rates.getOrDefault(row.id(), 0.0)))
                    .collectList()
                    .map(rows -> new Frame(true, at, rows));
        }
        var changed = new HashSet<>(events.requests.take());
        changed.addAll(rates.keySet());
        if (changed.isEmpty()) {
            return Mono.empty();
        }
        return repository
                .campaigns(changed, staleBefore, changed.size())
                .map(row -> row.withRate(rates.getOrDefault(row.id(), 0.0)))
                .collectList()
                .filter(rows -> !rows.isEmpty())
                .map(rows -> new Frame(false, at, List.copyOf(rows)));
    }
}
