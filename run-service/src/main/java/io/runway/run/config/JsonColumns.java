package io.runway.run.config;

import io.r2dbc.postgresql.codec.Json;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Converts between JSONB columns and {@link JsonNode}s, and binds values that may be null. */
@Component
public class JsonColumns {

    private final JsonMapper mapper;

    public JsonColumns(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public JsonMapper mapper() {
        return mapper;
    }

    public JsonNode read(Object column) {
        if (column == null) {
            return null;
        }
        var text = column instanceof Json json ? json.asString() : column.toString();
        return mapper.readTree(text);
    }

    public List<String> readStrings(Object column) {
        var list = new ArrayList<String>();
        var node = read(column);
        if (node != null) {
            node.forEach(item -> list.add(item.asString()));
        }
        return list;
    }

    public Json json(Object value) {
        return Json.of(value instanceof JsonNode node ? node.toString() : mapper.writeValueAsString(value));
    }

    public static GenericExecuteSpec bind(GenericExecuteSpec spec, String name, Object value, Class<?> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    public GenericExecuteSpec bindJson(GenericExecuteSpec spec, String name, Object value) {
        return value == null ? spec.bindNull(name, Json.class) : spec.bind(name, json(value));
    }
}
