package io.runway.run.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * How long live events take to reach this instance's subscribers: from an event's {@code createdAt} (taken just before
 * the transaction that commits it, on whichever instance ran the step) to the moment a lane has written it to the last
 * of its subscribers here. One sample per lane and batch, of the batch's oldest event. It spans the commit, Redis, the
 * dispatch thread and the writes, and stops where the kernel takes the bytes; what a client measures beyond it is the
 * network and the client itself. Across hosts it also carries their clocks' difference.
 */
@Component
class FanoutLag {

    private final Timer timer;

    FanoutLag(MeterRegistry registry) {
        this.timer = Timer.builder("run.events.fanout.lag")
                .description("From a live run event's creation to its write to the last subscriber of a lane here")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /** A lane has written {@code oldest} (and the events after it in its batch) to every one of its subscribers. */
    void written(StoredEvent oldest) {
        var created = oldest.createdAt();
        if (created != null) {
            timer.record(Duration.between(created, Instant.now()));
        }
    }
}
