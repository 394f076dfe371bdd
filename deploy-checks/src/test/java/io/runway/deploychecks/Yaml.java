package io.runway.deploychecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** YAML (and so JSON) parsing with SnakeYAML. */
final class Yaml {

    private Yaml() {}

    @SuppressWarnings("unchecked")
    static <T> T load(Path file) {
        try {
            return (T) new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T parse(String text) {
        return (T) new org.yaml.snakeyaml.Yaml().load(text);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Object value) {
        return value == null ? List.of() : (List<T>) value;
    }
}
