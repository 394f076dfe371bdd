package io.runway.run.face;

import io.runway.common.error.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Parses raw query and path values so that bad input becomes an {@link InvalidInputException} naming the input. */
public final class Params {

    private Params() {}

    public static UUID uuid(String where, String name, String raw) {
        if (raw == null || raw.isBlank()) {
            throw InvalidInputException.of(List.of(where, name), "Field required", "missing");
        }
        try {
            var value = UUID.fromString(raw.trim());
            if (!value.toString().equalsIgnoreCase(raw.trim())) {
                throw new IllegalArgumentException();
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(List.of(where, name), "Input should be a valid UUID", "uuid_parsing");
        }
    }

    public static UUID optionalUuid(String where, String name, String raw) {
        return raw == null || raw.isEmpty() ? null : uuid(where, name, raw);
    }

    public static int intInRange(String name, String raw, int defaultValue, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(List.of("query", name), "Input should be a valid integer", "int_parsing");
        }
        if (value < min) {
            throw InvalidInputException.of(
                    List.of("query", name), "Input should be greater than or equal to " + min, "greater_than_equal");
        }
        if (value > max) {
            throw InvalidInputException.of(
                    List.of("query", name), "Input should be less than or equal to " + max, "less_than_equal");
        }
        return (int) value;
    }

    public static String oneOf(String name, String raw, String defaultValue, List<String> allowed) {
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        var value = raw.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw InvalidInputException.of(
                    List.of("query", name), "Input should be " + String.join(", ", allowed), "enum");
        }
        return value;
    }
}
