package io.runway.gateway.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Passes a service's {@code 200 text/event-stream} answer through to the caller's channel ({@link
 * EventStreamBridge}) instead of Spring Cloud Gateway's response write, whose per-event publisher, send
 * subscription, buffer wrapping and hand-over to the caller's event loop cost more than the event itself. It runs
 * after the routing filters set the status and the filtered headers, and before {@link NettyWriteResponseFilter} would
 * write the body; any other answer is left to that filter.
 */
final class EventStreamBridgeFilter implements GlobalFilter, Ordered {

    private final int readAhead;
    private final Counter sameLoop;
    private final Counter otherLoop;

    EventStreamBridgeFilter(EventStreamBridgeProperties properties, MeterRegistry meters) {
        this.readAhead = properties.readAhead();
        this.sameLoop = bridgedCounter(meters, "same");
        this.otherLoop = bridgedCounter(meters, "other");
    }

    private static Counter bridgedCounter(MeterRegistry meters, String loop) {
        return Counter.builder("gateway.streams.bridged")
                .description("Event streams passed through to the caller's channel, by whether the service's "
                        + "connection reads on the caller's event loop")
                .tag("loop", loop)
                .register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange).then(Mono.defer(() -> bridgeIfEventStream(exchange)));
    }

    private Mono<Void> bridgeIfEventStream(ServerWebExchange exchange) {
        Connection upstream = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
        ServerHttpResponse response = exchange.getResponse();
        if (upstream == null || response.isCommitted() || !isEventStream(response)) {
            return Mono.empty();
        }
        if (!(ServerHttpResponseDecorator.getNativeResponse(response) instanceof HttpServerResponse callerResponse)
                || !(callerResponse instanceof Connection callerConnection)) {
            return Mono.empty();
        }
        exchange.getAttributes().remove(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
        Channel caller = callerConnection.channel();
        (caller.eventLoop() == upstream.channel().eventLoop() ? sameLoop : otherLoop).increment();
        return response.setComplete()
                .then(Mono.defer(callerResponse::then))
                .then(Mono.<Void>create(done -> new EventStreamBridge(caller, upstream, done, readAhead).start()))
                .doFinally(signal -> {
                    if (signal != SignalType.ON_COMPLETE) {
                        upstream.dispose();
                    }
                });
    }

    private static boolean isEventStream(ServerHttpResponse response) {
        var contentType = response.getHeaders().getContentType();
        return HttpStatus.OK.equals(response.getStatusCode())
                && contentType != null
                && MediaType.TEXT_EVENT_STREAM.isCompatibleWith(contentType);
    }

    @Override
    public int getOrder() {
        return NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER + 1;
    }
}
