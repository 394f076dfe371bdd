package io.runway.gateway.streams;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;

/**
 * Widens an upstream HTTP/2 connection's receive window to the sum of its streams' windows, once its preface is sent.
 *
 * <p>A caller that stops reading stops the gateway reading its stream; what the service already sent on that stream
 * then stays unconsumed, and it counts against the connection's window as well as the stream's. With the protocol's
 * default connection window (64 KiB, the same as one stream's) one such caller would stop every stream on the
 * connection; with room for every stream's window, one caller holds up only its own stream.
 */
public final class ConnectionWindow extends ChannelInboundHandlerAdapter {

    private final Http2FrameCodec codec;
    private final int increment;

    private ConnectionWindow(Http2FrameCodec codec, int streams) {
        this.codec = codec;
        long window = (long) streams * Http2CodecUtil.DEFAULT_WINDOW_SIZE;
        this.increment = (int) Math.min(Integer.MAX_VALUE, window) - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
    }

    /** Adds itself after the connection's HTTP/2 codec, if the channel has one (it does once Reactor Netty set it up). */
    public static void install(Channel channel, int streams) {
        var codec = channel.pipeline().context(Http2FrameCodec.class);
        if (codec != null) {
            channel.pipeline()
                    .addAfter(
                            codec.name(),
                            "gateway.connectionWindow",
                            new ConnectionWindow((Http2FrameCodec) codec.handler(), streams));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Http2Exception {
        if (ctx.channel().isActive()) {
            widen(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Http2Exception {
        ctx.fireChannelActive();
        widen(ctx);
    }

    private void widen(ChannelHandlerContext ctx) throws Http2Exception {
        if (increment > 0) {
            var connection = codec.connection();
            connection.local().flowController().incrementWindowSize(connection.connectionStream(), increment);
            ctx.flush();
        }
        ctx.pipeline().remove(this);
    }
}
