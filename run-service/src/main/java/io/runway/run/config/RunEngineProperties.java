package io.runway.run.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the run engine.
 *
 * @param instanceId this instance's lease owner id; blank means a random id chosen at start
 * @param lease how long a lease on a run lasts without renewal; after that another instance may resume the run
 * @param renewEvery how often the leases of the runs executing here are renewed (well under {@code lease})
 * @param sweepEvery how often unclaimed pending runs and runs with expired leases are looked for
 * @param sweepBatch at most this many runs are claimed per sweep
 * @param http defaults of the {@code http} step
 * @param writes how the engine's writes are grouped into transactions
 * @param startableAutomations how many automations' current versions are remembered for starts (0: none); a start
 *     with a remembered version that another instance has replaced meanwhile is refused by the insert and repeated
 *     with the version read afresh
 */
@Validated
@ConfigurationProperties("app.engine")
public record RunEngineProperties(
        @DefaultValue("") String instanceId,
        @NotNull @DefaultValue("15s") Duration lease,
        @NotNull @DefaultValue("5s") Duration renewEvery,
        @NotNull @DefaultValue("2s") Duration sweepEvery,
        @Min(1) @DefaultValue("100") int sweepBatch,
        @NotNull @DefaultValue Http http,
        @NotNull @DefaultValue Writes writes,
        @Min(0) @DefaultValue("10000") int startableAutomations) {

    /**
     * Group commit of starts and engine decisions: what arrives while a transaction is in flight is written together
     * in the next one.
     *
     * @param maxBatch at most this many starts, or decisions, in one transaction
     * @param maxInFlight at most this many such transactions at a time, for starts and for decisions each
     */
    public record Writes(@Min(1) @DefaultValue("200") int maxBatch, @Min(1) @DefaultValue("3") int maxInFlight) {}

    /**
     * Defaults of the {@code http} step; a step's config may lower the timeout and attempts.
     *
     * @param timeout per-attempt timeout
     * @param maxAttempts attempts including the first
     * @param backoff first back-off, doubled after each failed attempt
     * @param maxResultBytes response bodies above this size are truncated ({@code resultTruncated: true})
     */
    public record Http(
            @NotNull @DefaultValue("10s") Duration timeout,
            @Min(1) @DefaultValue("3") int maxAttempts,
            @NotNull @DefaultValue("200ms") Duration backoff,
            @Min(1) @DefaultValue("65536") int maxResultBytes) {}
}
