package io.runway.run.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Calls made together: items submitted while earlier calls are in flight go into one call (one transaction, one
 * statement), up to {@code maxBatch} items, with at most {@code maxInFlight} calls at a time. This is group commit in
 * the application. Nothing waits for a timer: an idle caller makes a lone item's call at once, and batches grow only
 * when calls queue up behind each other.
 *
 * <p>When a batch fails, each of its items is tried again on its own, so one bad item fails alone, with its own error,
 * and the others succeed as if they had never shared a call.
 *
 * @param <I> what is submitted
 * @param <O> what a call answers for an item (empty when there is legitimately nothing)
 */
public final class BatchedCalls<I, O> {

    private static final Logger log = LoggerFactory.getLogger(BatchedCalls.class);

    private final String name;
    private final int maxBatch;
    private final int maxInFlight;
    private final Function<List<I>, Mono<List<Optional<O>>>> batch;
    private final Queue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final DistributionSummary batchSizes;
    private final Counter batchFailures;
    private final Timer queued;
    private final Timer calls;

    /**
     * @param name the {@code call} tag of this caller's metrics
     * @param batch makes the call for a list and answers one result per item, in the same order
     */
    public BatchedCalls(
            String name,
            int maxBatch,
            int maxInFlight,
            Function<List<I>, Mono<List<Optional<O>>>> batch,
            MeterRegistry registry) {
        this.name = name;
        this.batchSizes = DistributionSummary.builder("run.batches.size")
                .description("Items per batched call (one transaction or statement)")
                .tag("call", name)
                .register(registry);
        this.batchFailures = Counter.builder("run.batches.failures")
                .description("Batched calls that failed, their items then tried one by one")
                .tag("call", name)
                .register(registry);
        this.queued = Timer.builder("run.batches.wait")
                .description("Time an item waits for its batch to be called")
                .tag("call", name)
                .register(registry);
        this.calls = Timer.builder("run.batches.duration")
                .description("Time of one batched call, from its start to its answer")
                .tag("call", name)
                .register(registry);
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.batch = batch;
    }

    /** Calls for the item with whatever else is queued; the call is made even if the answer is no longer awaited. */
    public Mono<O> submit(I item) {
        return Mono.create(sink -> {
            queue.add(new Pending<>(item, sink, System.nanoTime()));
            drain();
        });
    }

    private void drain() {
        while (!queue.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            var taken = new ArrayList<Pending<I, O>>();
            Pending<I, O> next;
            while (taken.size() < maxBatch && (next = queue.poll()) != null) {
                taken.add(next);
            }
            if (taken.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            write(taken);
        }
    }

    private void write(List<Pending<I, O>> taken) {
        var items = taken.stream().map(Pending::item).toList();
        batchSizes.record(items.size());
        long begin = System.nanoTime();
        taken.forEach(pending -> queued.record(begin - pending.submitted(), TimeUnit.NANOSECONDS));
        Mono.defer(() -> batch.apply(items))
                .defaultIfEmpty(List.of())
                .doOnSuccess(results -> calls.record(System.nanoTime() - begin, TimeUnit.NANOSECONDS))
                .doFinally(signal -> {
                    inFlight.decrementAndGet();
                    drain();
                })
                .subscribe(
                        results -> {
                            for (int i = 0; i < taken.size(); i++) {
                                var sink = taken.get(i).sink();
                                var result = i < results.size() ? results.get(i) : Optional.<O>empty();
                                result.ifPresentOrElse(sink::success, sink::success);
                            }
                        },
                        error -> {
                            batchFailures.increment();
                            log.warn(
                                    "{} batch of {} failed, trying each alone: {}",
                                    name,
                                    taken.size(),
                                    error.toString());
                            taken.forEach(this::writeAlone);
                        });
    }

    /** The call for one item in a batch of its own, so that its error is its own. */
    private void writeAlone(Pending<I, O> pending) {
        Mono.defer(() -> batch.apply(List.of(pending.item())))
                .map(results -> results.isEmpty() ? Optional.<O>empty() : results.get(0))
                .subscribe(
                        result -> result.ifPresentOrElse(pending.sink()::success, pending.sink()::success),
                        pending.sink()::error,
                        pending.sink()::success);
    }

    private record Pending<I, O>(I item, MonoSink<O> sink, long submitted) {}
}
