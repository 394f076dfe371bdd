package io.runway.run.events;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the run event streams.
 *
 * @param pollEvery how often a stream reads new events from PostgreSQL when nothing woke it earlier
 * @param keepAlive interval of the keep-alive comments that stop proxies closing an idle stream
 * @param retry the reconnection delay suggested to EventSource clients ({@code retry:})
 */
@Validated
@ConfigurationProperties("app.events")
public record RunEventsProperties(
        @NotNull @DefaultValue("1s") Duration pollEvery,
        @NotNull @DefaultValue("15s") Duration keepAlive,
        @NotNull @DefaultValue("3s") Duration retry) {}
