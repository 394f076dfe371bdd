package io.runway.assign.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runway.assign.web.Params;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The dispatcher's Micrometer meters: links assigned, reclaimed, retried, failed stale, canceled, held back by account
 * quotas; queue depth; dead servers holding links; loop latency and time to assignment.
 */
@Component
class DispatchMetrics {

    final Counter assigned;
    final Counter reclaimed;
    final Counter retried;
    final Counter failedStale;
    final Counter canceled;
    final Counter generated;
    final Counter quotaWaits;
    final Counter completedRequests;
    final Timer loopLatency;
    final Timer timeToAssignment;
    private final Map<String, AtomicLong> queueDepth = new TreeMap<>();
    private final AtomicLong deadHolding = new AtomicLong();

    DispatchMetrics(MeterRegistry registry) {
        assigned = counter(registry, "assigned", "links handed to servers");
        reclaimed = counter(registry, "reclaimed", "links taken back from dead servers");
        retried = counter(registry, "retried", "failed links put back to pending for a retry");
        failedStale = counter(registry, "stale", "running links failed for exceeding the stale timeout");
        canceled = counter(registry, "canceled", "failed links canceled after their last retry");
        generated = counter(registry, "generated", "links generated for running requests below target");
        quotaWaits = counter(
                registry,
                "quota_waits",
                "claimed links held back because their account is out of posts or cooling down");
        Gauge.builder("dispatcher.servers.dead_holding_links", deadHolding, AtomicLong::get)
                .description("dead or offline servers found still holding queued/running links by the last sweep")
                .register(registry);
        completedRequests = Counter.builder("dispatcher.requests.completed")
                .description("requests completed because no link is active any more")
                .register(registry);
        loopLatency = Timer.builder("dispatcher.loop.latency")
                .description("duration of one dispatcher round (event-driven or sweep)")
                .publishPercentileHistogram()
                .register(registry);
        timeToAssignment = Timer.builder("dispatcher.links.time_to_assignment")
                .description("how long a link had been due (pending, its retry back-off over) when it was handed out")
                .publishPercentileHistogram()
                .register(registry);
        for (var type : Params.SERVICE_TYPES) {
            var depth = new AtomicLong();
            queueDepth.put(type, depth);
            Gauge.builder("dispatcher.queue.depth", depth, AtomicLong::get)
                    .description("pending links waiting for a server")
                    .tag("service_type", type)
                    .register(registry);
        }
    }

    void queueDepth(Map<String, Long> pendingByType) {
        queueDepth.forEach((type, depth) -> depth.set(pendingByType.getOrDefault(type, 0L)));
    }

    void deadServersHoldingLinks(int count) {
        deadHolding.set(count);
    }

    private static Counter counter(MeterRegistry registry, String what, String description) {
        return Counter.builder("dispatcher.links." + what)
                .description(description)
                .register(registry);
    }
}
