package io.runway.run.face;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.runway.run.stream.SseFrame;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.netty.http.server.HttpServerRequest;

/**
 * An HTTP/1.1 chunked response on Reactor Netty, written below the HTTP encoder: each frame goes out as its pre-framed
 * chunk, encoded once for every subscriber ({@link SseFrame#chunk()}), written and flushed on the connection's event
 * loop. Reactor Netty still writes the headers, the first chunk and the last one, through its encoder.
 */
final class ChunkedConnection extends BelowCodecConnection {

    private static final int PENDING_BYTES = 256 * 1024;

    private ChunkedConnection(Channel channel, ChannelHandlerContext belowEncoder) {
        super(channel, belowEncoder);
    }

    /** The response's connection when it is Reactor Netty's HTTP/1.1 (a chunked stream), else null. */
    static ChunkedConnection of(ServerHttpResponse response) {
        var channel = channel(response);
        if (channel == null
                || !(nativeResponse(response) instanceof HttpServerRequest request)
                || !HttpVersion.HTTP_1_1.equals(request.version())) {
            return null;
        }
        var codec = channel.pipeline().context(HttpServerCodec.class);
        return codec == null ? null : new ChunkedConnection(channel, codec);
    }

    /**
     * While less than {@value #PENDING_BYTES} bytes wait in Netty's outbound buffer: a burst of large frames to a
     * reader that keeps up is sent, not held back.
     */
    @Override
    public boolean writable() {
        var outbound = channel.unsafe().outboundBuffer();
        return outbound == null || outbound.totalPendingWriteBytes() < PENDING_BYTES;
    }

    @Override
    Object message(SseFrame frame) {
        return frame.chunk();
    }
}
