package io.runway.worker.task;

import io.runway.common.error.ApiException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The validated parameters of {@code GET /tasks}: offset pages ({@code page}) or cursor pages ({@code after}, which
 * takes precedence over {@code page} for where the page starts).
 */
record TaskQuery(int page, int limit, UUID after, List<String> statuses, String serviceType) {

    static final Set<String> SERVICE_TYPES = Set.of("entity", "social", "blog20", "podcast", "stacking", "indexing");

    static TaskQuery of(Integer page, Integer limit, String after, String status, String serviceType) {
        int p = page == null ? 1 : page;
        int l = limit == null ? 100 : limit;
        if (p < 1) {
            throw ApiException.badRequest("page must be 1 or more");
        }
        if (l < 1 || l > 1000) {
            throw ApiException.badRequest("limit must be between 1 and 1000");
        }
        if (serviceType != null && !SERVICE_TYPES.contains(serviceType)) {
            throw ApiException.badRequest("unknown service_type: " + serviceType);
        }
        return new TaskQuery(p, l, cursor(after), statuses(status), serviceType);
    }

    long offset() {
        return after == null ? (long) (page - 1) * limit : 0;
    }

    private static UUID cursor(String after) {
        if (after == null || after.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(after.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("after must be a task id (UUID)");
        }
    }

    private static List<String> statuses(String status) {
        if (status == null || status.isBlank()) {
            return List.of("pending", "queued");
        }
        var result = new LinkedHashSet<String>();
        for (var value : Arrays.stream(status.split(",")).map(String::trim).toList()) {
            var parsed = TaskStatus.parse(value).orElseThrow(() -> ApiException.badRequest("unknown status: " + value));
            result.add(parsed.wire());
        }
        return List.copyOf(result);
    }
}
