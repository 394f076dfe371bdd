package io.runway.gateway.ratelimit;

import io.netty.channel.EventLoop;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Brings a value back onto the event loop of the caller's connection. A Redis answer arrives on Lettuce's own loop;
 * left there, the rest of the chain (routing, the pooled call to the service, the response) would run on the Redis
 * thread and hand every write to another thread. Back on the connection's loop, the service connection taken from the
 * pool is one of that loop's, and the answer flows through without further hand-overs.
 */
final class RequestEventLoop {

    private RequestEventLoop() {}

    static <T> Mono<T> backOnto(ServerWebExchange exchange, Mono<T> source) {
        var loop = of(exchange);
        if (loop == null) {
            return source;
        }
        return source.flatMap(value ->
                loop.inEventLoop() ? Mono.just(value) : Mono.create(sink -> loop.execute(() -> sink.success(value))));
    }

    private static EventLoop of(ServerWebExchange exchange) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        return request instanceof Connection connection ? connection.channel().eventLoop() : null;
    }
}
