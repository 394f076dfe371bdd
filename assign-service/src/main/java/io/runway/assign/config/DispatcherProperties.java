package io.runway.assign.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the built-in dispatcher ({@code app.dispatcher.*}).
 *
 * @param enabled whether this replica runs the dispatch loop at all (the Assign API is served either way)
 * @param sweepInterval how often the full sweep runs when no event arrives (the safety net)
 * @param heartbeatInterval the interval at which tool servers are expected to send heartbeats
 * @param deadAfterIntervals a server silent for this many heartbeat intervals is dead: its links are reclaimed
 * @param staleTimeout a running/connecting link older than this on a live server is failed and retried
 * @param retryBackoff back-off before the first retry of a failed link; doubles with every retry
 * @param maxRetryBackoff cap of the retry back-off
 * @param cpuThreshold a server reporting at least this CPU usage (percent) gets no new links
 * @param ramThreshold a server reporting at least this RAM usage (percent) gets no new links
 * @param diskThreshold a server reporting at least this disk usage (percent) gets no new links
 * @param assignBatchSize most links claimed in one assignment transaction
 * @param serverBatchSize most servers locked in one assignment transaction
 * @param maxRoundsPerPass most assignment transactions per service type in one pass
 * @param sweepBatchSize most links or requests touched by one sweep statement (reclaim, stale, retry, cancel)
 * @param generateLinks whether running requests below their target get links generated from sites and accounts
 * @param generateBatchSize most links generated for one request in one pass
 */
@Validated
@ConfigurationProperties("app.dispatcher")
public record DispatcherProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("5s") Duration sweepInterval,
        @NotNull @DefaultValue("30s") Duration heartbeatInterval,
        @Min(1) @DefaultValue("2") int deadAfterIntervals,
        @NotNull @DefaultValue("15m") Duration staleTimeout,
        @NotNull @DefaultValue("30s") Duration retryBackoff,
        @NotNull @DefaultValue("30m") Duration maxRetryBackoff,
        @Min(1) @Max(101) @DefaultValue("95") double cpuThreshold,
        @Min(1) @Max(101) @DefaultValue("95") double ramThreshold,
        @Min(1) @Max(101) @DefaultValue("98") double diskThreshold,
        @Min(1) @Max(20000) @DefaultValue("1000") int assignBatchSize,
        @Min(1) @Max(5000) @DefaultValue("64") int serverBatchSize,
        @Min(1) @DefaultValue("50") int maxRoundsPerPass,
        @Min(1) @Max(50000) @DefaultValue("1000") int sweepBatchSize,
        @DefaultValue("true") boolean generateLinks,
        @Min(1) @Max(5000) @DefaultValue("500") int generateBatchSize) {

    /** A server last heard from before this long ago is dead. */
    public Duration deadAfter() {
        return heartbeatInterval.multipliedBy(deadAfterIntervals);
    }

    /** Back-off before retry number {@code retryCount + 1}. */
    public Duration backoff(int retryCount) {
        var shift = Math.min(retryCount, 20);
        var delay = retryBackoff.multipliedBy(1L << shift);
        return delay.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : delay;
    }
}
