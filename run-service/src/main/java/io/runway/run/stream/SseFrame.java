package io.runway.run.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * One SSE frame, encoded once and written to any number of subscribers: each write gets its own view of the same bytes.
 * The bytes are never released by a write (they are freed with the frame by the garbage collector), so a frame dropped
 * anywhere on the way cannot leak nor be freed under another subscriber. The wire format is Spring's SSE writer's.
 */
public final class SseFrame {

    private static final byte[] CRLF = {'\r', '\n'};

    private final ByteBuf bytes;
    private final boolean direct;
    /** The same bytes as one HTTP/1.1 chunk; made by the first connection that writes it, then shared. */
    private volatile ByteBuf chunk;

    private SseFrame(byte[] encoded, boolean direct) {
        this.bytes = unreleasable(encoded, direct);
        this.direct = direct;
    }

    private static ByteBuf unreleasable(byte[] encoded, boolean direct) {
        var buffer = direct
                ? Unpooled.wrappedBuffer(
                        ByteBuffer.allocateDirect(encoded.length).put(encoded).flip())
                : Unpooled.wrappedBuffer(encoded);
        return Unpooled.unreleasableBuffer(buffer);
    }

    /**
     * {@code id:}, {@code event:} and {@code data:} lines. A frame many subscribers share lives off-heap, where the
     * socket writes it from without a copy.
     */
    static SseFrame event(long id, String event, byte[] data, boolean shared) {
        var out = new ByteArrayOutputStream(data.length + event.length() + 40);
        out.writeBytes(ascii("id:" + id + "\nevent:" + event + "\ndata:"));
        out.writeBytes(data);
        out.writeBytes(ascii("\n\n"));
        return new SseFrame(out.toByteArray(), shared);
    }

    /** A {@code retry:} hint with a comment. */
    static SseFrame retry(Duration retry, String comment) {
        return new SseFrame(ascii("retry:" + retry.toMillis() + "\n:" + comment + "\n\n"), true);
    }

    /** A comment line, which clients ignore. */
    static SseFrame comment(String comment) {
        return new SseFrame(ascii(":" + comment + "\n\n"), true);
    }

    /** This frame as a buffer of {@code factory}'s kind, ready for one write. */
    public DataBuffer buffer(DataBufferFactory factory) {
        if (factory instanceof NettyDataBufferFactory netty) {
            return netty.wrap(bytes.duplicate());
        }
        return factory.wrap(ByteBufUtil.getBytes(bytes));
    }

    /** This frame's bytes, ready for one write below Reactor Netty's codecs; never released by the write. */
    public ByteBuf bytes() {
        return bytes.duplicate();
    }

    /**
     * This frame framed as one HTTP/1.1 chunk ({@code <size in hex>\r\n<frame>\r\n}), ready to be written below the
     * HTTP encoder of a chunked response. Like the frame, the bytes are never released by a write.
     */
    public ByteBuf chunk() {
        var framed = chunk;
        if (framed == null) {
            var size = ascii(Integer.toHexString(bytes.readableBytes()));
            var out = new ByteArrayOutputStream(size.length + bytes.readableBytes() + 4);
            out.writeBytes(size);
            out.writeBytes(CRLF);
            out.writeBytes(ByteBufUtil.getBytes(bytes));
            out.writeBytes(CRLF);
            framed = unreleasable(out.toByteArray(), direct);
            chunk = framed;
        }
        return framed.duplicate();
    }

    @Override
    public String toString() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
