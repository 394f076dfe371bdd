package io.runway.assign.feed;

import io.runway.assign.config.FeedProperties;
import io.runway.assign.event.EventSubscriber;
import io.runway.common.likepion.LikepionEvent;
import java.time.Clock;
import java.util.UUID;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * What the admin feed learns from the LIKEPION event channel ({@code heartbeat}, {@code server.changed},
 * {@code link.status}, {@code request.status}): which servers and requests changed, completions per request, and the
 * dispatcher's hand-outs. Subscribed from start-up, so rates are warm when a page opens. Fails open like every
 * subscriber of the channel: events lost while Redis is away are made good by the views' periodic full frames.
 */
@Component
class FeedEvents implements SmartLifecycle {

    final ChangedIds servers = new ChangedIds();
    final ChangedIds requests = new ChangedIds();
    final CompletionRates rates;
    final AssignmentWindow assignments;

    private final EventSubscriber subscriber;
    private final Sinks.Many<Boolean> serverChanges = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Boolean> requestChanges = Sinks.many().multicast().directBestEffort();
    private volatile Disposable subscription;

    FeedEvents(EventSubscriber subscriber, FeedProperties properties, Clock clock) {
        this.subscriber = subscriber;
        this.rates = new CompletionRates(clock, properties.rateWindow());
        this.assignments = new AssignmentWindow(clock, properties.latencyWindow());
    }

    Flux<Boolean> serverChanges() {
        return serverChanges.asFlux();
    }

    Flux<Boolean> requestChanges() {
        return requestChanges.asFlux();
    }

    void accept(LikepionEvent event) {
        var server = event.serverId();
        var request = event.requestId();
        switch (String.valueOf(event.type())) {
            case LikepionEvent.HEARTBEAT, LikepionEvent.SERVER_CHANGED -> serverChanged(server);
            case LikepionEvent.REQUEST_STATUS -> requestChanged(request);
            case LikepionEvent.LINK_STATUS -> {
                requestChanged(request);
                // a link handed out or finished changes its server's slots
                serverChanged(server);
                if ("completed".equals(event.status()) && request != null) {
                    rates.completed(request);
                }
                if ("queued".equals(event.status())) {
                    assignments.assigned(event.waitedMs());
                }
            }
            default -> {}
        }
    }

    private void serverChanged(UUID id) {
        if (id != null) {
            servers.add(id);
            serverChanges.tryEmitNext(Boolean.TRUE);
        }
    }

    private void requestChanged(UUID id) {
        if (id != null) {
            requests.add(id);
            requestChanges.tryEmitNext(Boolean.TRUE);
        }
    }

    @Override
    public void start() {
        subscription = subscriber.handle(this::accept);
    }

    @Override
    public void stop() {
        var current = subscription;
        if (current != null) {
            current.dispose();
        }
        subscription = null;
    }

    @Override
    public boolean isRunning() {
        return subscription != null && !subscription.isDisposed();
    }
}
