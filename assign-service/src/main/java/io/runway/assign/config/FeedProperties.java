package io.runway.assign.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The console's live admin feed ({@code app.feed.*}, docs/console.md): how often each view sends a frame and how
 * much it holds.
 *
 * @param frameInterval at most one frame per view this often, carrying every change since the last one
 * @param fullEvery a full frame (every row) this often, the safety net for events lost on the way
 * @param keepAlive an SSE comment this often, so proxies keep an idle stream open
 * @param subscriberBuffer frames a slow page may fall behind before its stream is closed (it reconnects to a full one)
 * @param maxServers most servers in a fleet frame
 * @param maxCampaigns most requests in a campaigns frame (newest first)
 * @param rateWindow the window of "links per minute" (completions counted per request)
 * @param latencyWindow the window of the time-to-assignment p99
 * @param history dispatcher points kept and sent to a page that opens the view
 */
@Validated
@ConfigurationProperties("app.feed")
public record FeedProperties(
        @NotNull @DefaultValue("1s") Duration frameInterval,
        @NotNull @DefaultValue("30s") Duration fullEvery,
        @NotNull @DefaultValue("15s") Duration keepAlive,
        @Min(2) @Max(1000) @DefaultValue("16") int subscriberBuffer,
        @Min(1) @Max(50000) @DefaultValue("5000") int maxServers,
        @Min(1) @Max(5000) @DefaultValue("200") int maxCampaigns,
        @NotNull @DefaultValue("60s") Duration rateWindow,
        @NotNull @DefaultValue("10s") Duration latencyWindow,
        @Min(1) @Max(3600) @DefaultValue("300") int history) {}
