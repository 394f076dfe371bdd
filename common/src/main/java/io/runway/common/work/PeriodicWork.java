package io.runway.common.work;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The plumbing of a background loop: its work runs after {@code first}, then every {@code period}, one run at a time
 * (a tick that comes while the previous run still goes is dropped), and a run that fails is logged and tried again at
 * the next tick. Disposing the answer stops the loop.
 */
public final class PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(PeriodicWork.class);

    private PeriodicWork() {}

    /** @param name what the work is, for the log line of a failed run */
    public static Disposable every(Duration first, Duration period, String name, Supplier<? extends Mono<?>> work) {
        return Flux.interval(first, period)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(work::get).onErrorResume(error -> {
                    log.warn("{} failed, will try again: {}", name, error.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }
}
