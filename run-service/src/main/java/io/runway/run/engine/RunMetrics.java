package io.runway.run.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runway.common.observability.LatencyBuckets;
import io.runway.run.runs.RunStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The run engine's meters: runs started and finished (by status) per second, lease hand-overs, runs nobody executes,
 * and the latency of
 * a step transition (a step's outcome and what follows from it, written in one transaction). All are registered at
 * start-up, so a quiet instance exports zeros rather than nothing.
 */
@Component
class RunMetrics {

    private final Counter started;
    private final Map<RunStatus, Counter> finished = new EnumMap<>(RunStatus.class);
    private final Counter takenOver;
    private final Timer transitions;
    private final AtomicInteger unowned = new AtomicInteger();

    RunMetrics(MeterRegistry registry) {
        started = Counter.builder("run.engine.runs.started")
                .description("Runs that started executing (claimed pending, or inserted running)")
                .register(registry);
        for (var status : new RunStatus[] {RunStatus.SUCCESS, RunStatus.FAILED, RunStatus.CANCELED}) {
            finished.put(
                    status,
                    Counter.builder("run.engine.runs.finished")
                            .description("Runs that ended, by final status")
                            .tag("status", status.db())
                            .register(registry));
        }
        takenOver = Counter.builder("run.engine.leases.taken_over")
                .description("Running runs taken over from an instance whose lease expired")
                .register(registry);
        transitions = Timer.builder("run.engine.transitions")
                .description("Time to write a step transition (outcome and the decision that follows)")
                .serviceLevelObjectives(LatencyBuckets.slo())
                .register(registry);
        Gauge.builder("run.engine.runs.unowned", unowned, AtomicInteger::get)
                .description("Runs the last recovery sweep found free to claim: pending ones nobody started and running"
                        + " ones whose lease expired (up to the sweep batch)")
                .register(registry);
    }

    void started() {
        started.increment();
    }

    /** Counts a run that ended with a final status; other statuses are ignored. */
    void finished(RunStatus status) {
        var counter = finished.get(status);
        if (counter != null) {
            counter.increment();
        }
    }

    void unowned(int count) {
        unowned.set(count);
    }

    void takenOver() {
        takenOver.increment();
    }

    void transition(long nanos) {
        transitions.record(nanos, TimeUnit.NANOSECONDS);
    }
}
