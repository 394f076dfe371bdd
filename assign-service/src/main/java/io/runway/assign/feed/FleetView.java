package io.runway.assign.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.assign.config.FeedProperties;
import java.time.Clock;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The fleet view: every server, then the servers a heartbeat, a change or a link hand-out/finish touched. */
@Component
class FleetView {

    private final FeedRepository repository;
    private final FeedEvents events;
    private final FeedProperties properties;
    private final Clock clock;
    private final FrameLoop loop;

    FleetView(
            FeedRepository repository,
            FeedEvents events,
            FeedProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.repository = repository;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.loop = new FrameLoop("fleet", properties, events.serverChanges(), this::frame, meters);
    }

    Flux<Frame> watch() {
        return loop.watch();
    }

    private Mono<Frame> frame(boolean full) {
        var at = clock.instant();
        if (full) {
            events.servers.clear();
            return repository
                    .servers(null, properties.maxServers())
                    .collectList()
                    .map(rows -> new Frame(true, at, rows));
        }
        var changed = events.servers.take();
        if (changed.isEmpty()) {
            return Mono.empty();
        }
        return repository.servers(changed, changed.size()).collectList().map(rows -> new Frame(false, at, rows));
    }
}
