package io.runway.common.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection driven byte by byte, for what an HTTP client library never does on its own:
 * pipelining several requests in one write.
 */
final class RawHttpConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    RawHttpConnection(int port, Duration readTimeout) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        in = socket.getInputStream();
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** Writes the requests in one write, so the server reads them together. */
    void send(String... requests) throws IOException {
        var out = socket.getOutputStream();
        out.write(String.join("", requests).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one whole response and returns its status; fails with a timeout when none comes. */
    int readStatus() throws IOException {
        var head = readUntil("\r\n\r\n").split("\r\n");
        int status = Integer.parseInt(head[0].split(" ")[1]);
        long length = 0;
        boolean chunked = false;
        for (int i = 1; i < head.length; i++) {
            var header = head[i].toLowerCase(Locale.ROOT);
            if (header.startsWith("content-length:")) {
                length = Long.parseLong(
                        header.substring("content-length:".length()).trim());
            }
            chunked |= header.startsWith("transfer-encoding:") && header.contains("chunked");
        }
        if (chunked) {
            skipChunks();
        } else {
            in.skipNBytes(length);
        }
        return status;
    }

    private void skipChunks() throws IOException {
        long size;
        do {
            size = Long.parseLong(readUntil("\r\n").split(";")[0].trim(), 16);
            in.skipNBytes(size);
            readUntil("\r\n");
        } while (size > 0);
    }

    private String readUntil(String end) throws IOException {
        var bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            bytes.write(b);
        }
        var text = bytes.toString(StandardCharsets.US_ASCII);
        return text.substring(0, text.length() - end.length());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
