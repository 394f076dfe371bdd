package io.runway.assign.web;

import io.runway.common.error.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Parses and validates query, path and body values; anything invalid becomes a 400 {@code invalid_request}. */
public final class Params {

    public static final Set<String> SERVICE_TYPES =
            Set.of("entity", "social", "blog20", "podcast", "stacking", "indexing");
    public static final Set<String> SERVER_STATUSES = Set.of("online", "active", "offline", "maintenance", "inactive");
    public static final Set<String> REQUEST_STATUSES =
            Set.of("pending", "running", "connecting", "completed", "failed", "canceled");
    public static final Set<String> LINK_STATUSES =
            Set.of("pending", "queued", "running", "connect", "connecting", "completed", "failed", "canceled");

    private Params() {}

    public static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(name + " is required");
        }
        try {
            if (value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be a UUID");
        }
    }

    public static UUID optionalUuid(String name, String value) {
        return value == null || value.isBlank() ? null : uuid(name, value);
    }

    public static List<UUID> uuids(String name, String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        var ids = new ArrayList<UUID>();
        for (var part : csv.split(",")) {
            if (!part.isBlank()) {
                ids.add(uuid(name, part.trim()));
            }
        }
        return ids;
    }

    public static int limit(String value, int defaultValue, int max) {
        return intInRange("limit", value, defaultValue, 1, max);
    }

    public static int intInRange(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            var parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw ApiException.badRequest(name + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
    }

    public static boolean bool(String name, String value, boolean defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badRequest(name + " must be true or false");
        };
    }

    /** One value of an allowed set, or {@code null} when absent. */
    public static String oneOf(String name, String value, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        var trimmed = value.trim();
        if (!allowed.contains(trimmed)) {
            throw ApiException.badRequest("unknown " + name + " '" + trimmed + "'");
        }
        return trimmed;
    }

    public static String required(String name, String value, Set<String> allowed) {
        var parsed = oneOf(name, value, allowed);
        if (parsed == null) {
            throw ApiException.badRequest(name + " is required");
        }
        return parsed;
    }

    /** A comma-separated list of values of an allowed set; empty when absent. */
    public static String[] listOf(String name, String csv, Set<String> allowed) {
        if (csv == null || csv.isBlank()) {
            return new String[0];
        }
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> oneOf(name, s, allowed))
                .distinct()
                .toArray(String[]::new);
    }
}
