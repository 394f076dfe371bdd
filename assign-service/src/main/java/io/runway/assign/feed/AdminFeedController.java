package io.runway.assign.feed;

import io.runway.assign.config.FeedProperties;
import io.runway.assign.web.Callers;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

/** Operator API: the console's live feed, one event stream per view (docs/console.md, "The admin feed"). */
@RestController
class AdminFeedController {

    private final Map<String, Supplier<Flux<Frame>>> views;
    private final FeedProperties properties;

    AdminFeedController(
            FleetView fleet, CampaignsView campaigns, DispatcherView dispatcher, FeedProperties properties) {
        this.views = Map.of("fleet", fleet::watch, "campaigns", campaigns::watch, "dispatcher", dispatcher::watch);
        this.properties = properties;
    }

    @Operation(
            summary = "Live admin feed of one console view",
            description = "Server-sent events named after the view. The first frame is full (every row), the next ones"
                    + " hold only the rows that changed, at most one per second: fleet rows are servers, campaigns"
                    + " rows requests with link counts, dispatcher rows chart points. A page that falls behind is"
                    + " disconnected and gets a full frame when it reconnects.")
    @GetMapping(path = "/api/v1/admin/feed/{view}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Frame>> feed(
            CallerPrincipal caller,
            @Parameter(description = "fleet, campaigns or dispatcher") @PathVariable String view) {
        Callers.requireAdmin(caller);
        var frames = views.get(view);
        if (frames == null) {
            throw ApiException.badRequest("view must be one of fleet, campaigns, dispatcher");
        }
        var events = frames.get()
                .onBackpressureBuffer(properties.subscriberBuffer(), frame -> {}, BufferOverflowStrategy.ERROR)
                .map(frame -> ServerSentEvent.builder(frame).event(view).build());
        var keepAlive = Flux.interval(properties.keepAlive())
                .map(tick ->
                        ServerSentEvent.<Frame>builder().comment("keep-alive").build());
        return Flux.merge(events, keepAlive);
    }
}
