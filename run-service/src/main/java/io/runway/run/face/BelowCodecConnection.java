package io.runway.run.face;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.runway.run.stream.SseFrame;
import io.runway.run.stream.SubscriberConnection;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.netty.Connection;

/**
 * A Reactor Netty response written from the channel handler context below its protocol codec: each frame goes out as
 * the message the layer below takes ({@link #message}), of the frame's shared bytes, on the connection's event loop.
 * Reactor Netty writes the headers, the first frame and the end through its codec, whose state these writes never
 * touch.
 */
abstract sealed class BelowCodecConnection implements SubscriberConnection
        permits ChunkedConnection, Http2StreamConnection {

    final Channel channel;
    private final ChannelHandlerContext belowCodec;

    BelowCodecConnection(Channel channel, ChannelHandlerContext belowCodec) {
        this.channel = channel;
        this.belowCodec = belowCodec;
    }

    /** The response's Reactor Netty HTTP/1.1 chunked stream or HTTP/2 stream, written below its codec; else null. */
    static BelowCodecConnection of(ServerHttpResponse response) {
        BelowCodecConnection chunked = ChunkedConnection.of(response);
        return chunked != null ? chunked : Http2StreamConnection.of(response);
    }

    /** The Netty channel of a Reactor Netty response, else null. */
    static Channel channel(ServerHttpResponse response) {
        return nativeResponse(response) instanceof Connection connection ? connection.channel() : null;
    }

    static Object nativeResponse(ServerHttpResponse response) {
        var unwrapped = response;
        while (unwrapped instanceof ServerHttpResponseDecorator decorator) {
            unwrapped = decorator.getDelegate();
        }
        return unwrapped instanceof AbstractServerHttpResponse server ? server.getNativeResponse() : null;
    }

    /** The frame as the layer below the codec takes it. */
    abstract Object message(SseFrame frame);

    @Override
    public ScheduledExecutorService loop() {
        return channel.eventLoop();
    }

    @Override
    public void write(SseFrame frame) {
        if (channel.isActive()) {
            belowCodec.write(message(frame));
        }
    }

    @Override
    public void flush() {
        belowCodec.flush();
    }
}
