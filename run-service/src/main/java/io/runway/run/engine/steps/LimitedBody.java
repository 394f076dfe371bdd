package io.runway.run.engine.steps;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** A response body kept up to a size limit; what is beyond the limit is dropped and remembered as truncation. */
final class LimitedBody {

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean truncated;

    LimitedBody(int limit) {
        this.limit = limit;
    }

    void add(DataBuffer buffer) {
        try {
            int keep = Math.min(buffer.readableByteCount(), limit - bytes.size());
            if (keep < buffer.readableByteCount()) {
                truncated = true;
            }
            var chunk = new byte[keep];
            buffer.read(chunk);
            bytes.write(chunk, 0, keep);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    boolean truncated() {
        return truncated;
    }

    /** The body as JSON when it is complete JSON, otherwise as a string. */
    JsonNode toJson(JsonMapper mapper) {
        var text = bytes.toString(StandardCharsets.UTF_8);
        if (!truncated && !text.isBlank()) {
            try {
                return mapper.readTree(text);
            } catch (JacksonException e) {
                // Not JSON: keep it as text.
            }
        }
        return text.isEmpty() ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.stringNode(text);
    }
}
