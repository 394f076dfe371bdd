package io.runway.worker.log;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.work.PeriodicWork;
import io.runway.worker.config.WorkerProperties;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Deletes worker logs older than {@code app.worker.log-retention}, a minute after start-up and then every
 * {@code app.worker.log-purge-interval}, in
 * batches of {@code app.worker.log-purge-batch-size} rows until none is left. Several instances may run it at once:
 * they delete disjoint or already-deleted rows, which is harmless.
 */
@Component
public class LogRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LogRetention.class);
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);

    private final LogRepository repository;
    private final WorkerProperties properties;
    private final Clock clock;
    private final Counter purged;
    private volatile Disposable loop;

    LogRetention(LogRepository repository, WorkerProperties properties, Clock clock, MeterRegistry meters) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
        this.purged = meters.counter("worker.logs.purged");
    }

    /** Runs one purge; completes with the number of rows deleted. */
    public Mono<Long> purge() {
        var cutoff = clock.instant().minus(properties.logRetention());
        int batch = properties.logPurgeBatchSize();
        return repository
                .purgeBatch(cutoff, batch)
                .expand(deleted -> deleted < batch ? Mono.empty() : repository.purgeBatch(cutoff, batch))
                .reduce(0L, Long::sum)
                .doOnNext(total -> {
                    purged.increment(total);
                    if (total > 0) {
                        log.info("purged {} worker logs older than {}", total, cutoff);
                    }
                });
    }

    @Override
    public void start() {
        var every = properties.logPurgeInterval();
        var first = every.compareTo(FIRST_RUN) < 0 ? every : FIRST_RUN;
        loop = PeriodicWork.every(first, every, "worker log purge", this::purge);
    }

    @Override
    public void stop() {
        loop.dispose();
    }

    @Override
    public boolean isRunning() {
        return loop != null && !loop.isDisposed();
    }
}
