package io.runway.gateway.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;

/**
 * The console's static files ({@code classpath:console/}), read once at startup: each with its media type, a strong
 * ETag (a SHA-256 of its bytes) and, when it is text, a gzip copy. A few hundred kilobytes at most.
 */
final class ConsoleFiles {

    /** One file: its bytes, their gzip (null when not worth it), the media type and ETag. */
    record File(byte[] bytes, byte[] gzipped, MediaType type, String etag) {}

    private static final String ROOT = "console/";

    private final Map<String, File> files;

    private ConsoleFiles(Map<String, File> files) {
        this.files = Map.copyOf(files);
    }

    static ConsoleFiles load() {
        var files = new HashMap<String, File>();
        try {
            var resources = new PathMatchingResourcePatternResolver().getResources("classpath*:" + ROOT + "**/*");
            for (var resource : resources) {
                if (!resource.isReadable() || resource.getFilename() == null) {
                    continue;
                }
                var url = resource.getURL().toString();
                var at = url.lastIndexOf("/" + ROOT);
                if (at < 0) {
                    continue;
                }
                var name = url.substring(at + ROOT.length() + 1);
                if (name.isEmpty() || name.endsWith("/")) {
                    continue;
                }
                byte[] bytes;
                try (var in = resource.getInputStream()) {
                    bytes = in.readAllBytes();
                }
                var type = typeOf(name);
                files.put(name, new File(bytes, isText(type) ? gzip(bytes) : null, type, etag(bytes)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console files", e);
        }
        return new ConsoleFiles(files);
    }

    /** The file at {@code name} (relative to the console root, e.g. {@code app.js}), or null. */
    File get(String name) {
        return files.get(name);
    }

    private static MediaType typeOf(String name) {
        if (name.endsWith(".html")) {
            return new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8);
        }
        if (name.endsWith(".js")) {
            return new MediaType("text", "javascript", java.nio.charset.StandardCharsets.UTF_8);
        }
        if (name.endsWith(".css")) {
            return new MediaType("text", "css", java.nio.charset.StandardCharsets.UTF_8);
        }
        if (name.endsWith(".svg")) {
            return MediaType.valueOf("image/svg+xml");
        }
        if (name.endsWith(".png")) {
            return MediaType.IMAGE_PNG;
        }
        if (name.endsWith(".json")) {
            return MediaType.APPLICATION_JSON;
        }
        return MediaType.APPLICATION_OCTET_STREAM;
    }

    private static boolean isText(MediaType type) {
        return type.getType().equals("text")
                || type.getSubtype().contains("svg")
                || type.getSubtype().equals("json");
    }

    private static byte[] gzip(byte[] bytes) {
        if (bytes.length < 512) {
            return null;
        }
        var out = new ByteArrayOutputStream(bytes.length / 3);
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String etag(byte[] bytes) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
