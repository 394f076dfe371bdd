package io.runway.run.face;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.runway.run.stream.SseFrame;
import io.runway.run.stream.SubscriberConnection;
import java.util.concurrent.ScheduledExecutorService;

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
