package io.runway.run.stream;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the live run-event streams (SSE).
 *
 * @param keepAlive how often an idle stream gets a keep-alive comment, so that proxies keep it open
 * @param retry the reconnection delay suggested to clients ({@code retry:})
 * @param subscriberBuffer live events held for one subscriber that is not reading; one more cuts it off
 * @param replayPage events read from PostgreSQL per query when replaying history or a gap
 * @param pollInterval how often open streams are checked against PostgreSQL while Redis is healthy (safety net)
 * @param fallbackPollInterval how often they are checked while Redis is unhealthy; also the Redis health-check period
 * @param publishQueue notifications waiting to be published to Redis; beyond that they are dropped (and counted),
 *     the polling safety net delivering them later
 * @param publishTimeout how long one Redis publish may take before it counts as failed
 * @param writeLinger how long after writing a run's events to its subscribers on one thread the next ones wait, so
 *     that events coming closer together than that go out in one write per subscriber; an event after a quiet spell
 *     is written at once; 0 writes every event as it comes
 */
@Validated
@ConfigurationProperties("app.run-events")
record RunEventsProperties(
        @NotNull @DefaultValue("15s") Duration keepAlive,
        @NotNull @DefaultValue("3s") Duration retry,
        @Min(1) @DefaultValue("256") int subscriberBuffer,
        @Min(1) @DefaultValue("500") int replayPage,
        @NotNull @DefaultValue("5s") Duration pollInterval,
        @NotNull @DefaultValue("1s") Duration fallbackPollInterval,
        @Min(1) @DefaultValue("10000") int publishQueue,
        @NotNull @DefaultValue("2s") Duration publishTimeout,
        @NotNull @DefaultValue("10ms") Duration writeLinger) {}
