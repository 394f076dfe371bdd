package io.runway.run.face;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.runway.run.stream.SseFrame;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * A response on one HTTP/2 stream of Reactor Netty (h2c, as a gateway replica multiplexes many subscribers over one
 * connection), written below the HTTP/2-to-HTTP/1.1 codec: each frame goes out as a DATA frame of the shared bytes,
 * written on the connection's event loop; the connection is flushed once for all the streams written in a pass of that
 * loop ({@link ConnectionFlush}). Reactor Netty still writes the HEADERS, the first frame and the end of the stream.
 *
 * <p>The stream takes more while Netty counts it writable: while fewer than {@value #PENDING_BYTES} bytes written to it
 * wait to be sent (for the socket or for the peer's flow-control window) and the connection is writable, so that a
 * burst to a reader that keeps up is sent, not held back, and a reader that stops is held back and then cut off.
 */
final class Http2StreamConnection extends BelowCodecConnection {

    private static final int PENDING_BYTES = 256 * 1024;

    private final ConnectionFlush connectionFlush;

    private Http2StreamConnection(Http2StreamChannel stream, ChannelHandlerContext belowCodec) {
        super(stream, belowCodec);
        this.connectionFlush = ConnectionFlush.of(stream.parent());
    }

    /** The response's HTTP/2 stream when it is Reactor Netty's, else null. */
    static Http2StreamConnection of(ServerHttpResponse response) {
        if (!(channel(response) instanceof Http2StreamChannel stream)) {
            return null;
        }
        var codec = stream.pipeline().context(Http2StreamFrameToHttpObjectCodec.class);
        if (codec == null) {
            return null;
        }
        stream.config().setWriteBufferWaterMark(new WriteBufferWaterMark(PENDING_BYTES / 2, PENDING_BYTES));
        return new Http2StreamConnection(stream, codec);
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void flush() {
        connectionFlush.request();
    }

    @Override
    Object message(SseFrame frame) {
        return new DefaultHttp2DataFrame(frame.bytes());
    }
}
