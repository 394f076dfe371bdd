package io.runway.worker.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Tunables of the worker-service.
 *
 * @param serverCacheTtl how long a server's name and status are cached (a deactivated server is refused after this)
 * @param heartbeatFlushInterval how often buffered heartbeats are written to {@code server_health} in one statement
 * @param eventBuffer how many events may wait for Redis before new ones are dropped (and counted)
 * @param eventPublishTimeout how long one Redis publish may take before it is counted as failed
 * @param logRetention age after which worker logs are deleted
 * @param logPurgeInterval how often the log purge runs
 * @param logPurgeBatchSize rows deleted per purge statement (keeps each transaction and its locks short)
 */
@Validated
@ConfigurationProperties("app.worker")
public record WorkerProperties(
        @NotNull @DefaultValue("5s") Duration serverCacheTtl,
        @NotNull @DefaultValue("1s") Duration heartbeatFlushInterval,
        @Min(1) @DefaultValue("100000") int eventBuffer,
        @NotNull @DefaultValue("2s") Duration eventPublishTimeout,
        @NotNull @DefaultValue("14d") Duration logRetention,
        @NotNull @DefaultValue("1h") Duration logPurgeInterval,
        @Min(1) @DefaultValue("5000") int logPurgeBatchSize) {}
