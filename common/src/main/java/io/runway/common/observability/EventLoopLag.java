package io.runway.common.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;

/**
 * Measures how long a task waits before a Netty event loop runs it ({@code netty.eventloop.lag}): every probe period
 * a no-op is queued on each loop the web server runs on (those of the service's Reactor resource factory: Reactor
 * Netty's shared loops unless the service has its own). A loop that is blocked or saturated shows here before requests
 * time out.
 */
final class EventLoopLag implements SmartLifecycle {

    private final Supplier<EventLoopGroup> loops;
    private final Duration every;
    private final Timer lag;
    private final LongSupplier nanoTime;
    private volatile Disposable probes = Disposables.disposed();

    EventLoopLag(EventLoopGroup loops, Duration every, MeterRegistry registry, LongSupplier nanoTime) {
        this(() -> loops, every, registry, nanoTime);
    }

    /** {@code loops} is asked at each probe; null while the loops are not created yet (nothing is probed then). */
    EventLoopLag(Supplier<EventLoopGroup> loops, Duration every, MeterRegistry registry, LongSupplier nanoTime) {
        this.loops = loops;
        this.every = every;
        this.nanoTime = nanoTime;
        this.lag = Timer.builder("netty.eventloop.lag")
                .description("Time a task queued on a Netty event loop waited before it ran")
                .serviceLevelObjectives(LatencyBuckets.slo())
                .register(registry);
    }

    /** Loops that are shutting down are left out: the server stops its loops before this probe is stopped. */
    void probe() {
        var group = loops.get();
        if (group == null) {
            return;
        }
        for (var loop : group) {
            if (loop.isShuttingDown()) {
                continue;
            }
            long queued = nanoTime.getAsLong();
            try {
                loop.execute(() -> lag.record(nanoTime.getAsLong() - queued, TimeUnit.NANOSECONDS));
            } catch (RejectedExecutionException stoppedMeanwhile) {
                // the loop began shutting down after the check: nothing left to measure there
            }
        }
    }

    @Override
    public void start() {
        probes = Flux.interval(every, every).subscribe(tick -> probe());
    }

    @Override
    public void stop() {
        probes.dispose();
    }

    @Override
    public boolean isRunning() {
        return !probes.isDisposed();
    }
}
