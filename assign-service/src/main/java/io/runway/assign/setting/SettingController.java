package io.runway.assign.setting;

import io.runway.assign.web.Callers;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Settings by group: read by the Assign API, written by operators. */
@RestController
class SettingController {

    /** Settings the dispatcher reads as numbers (AccountLimits): anything else would silently lift the limit. */
    private static final Map<String, Set<String>> WHOLE_NUMBERS =
            Map.of("rate_limit", Set.of("max_posts_per_day", "cooldown_minutes"));

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private final Settings settings;

    SettingController(Settings settings) {
        this.settings = settings;
    }

    @GetMapping("/api/v1/worker/settings")
    Mono<SettingsBody> get(CallerPrincipal caller, @RequestParam(required = false) String group) {
        Callers.requireAssignServer(caller);
        if (group == null || group.isBlank()) {
            throw ApiException.badRequest("group is required");
        }
        return body(group.trim());
    }

    @PutMapping("/api/v1/admin/settings/{group}")
    Mono<SettingsBody> put(CallerPrincipal caller, @PathVariable String group, @RequestBody JsonNode body) {
        Callers.requireAdmin(caller);
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ApiException.badRequest("the body must be a non-empty JSON object of key/value pairs");
        }
        var values = new LinkedHashMap<String, String>();
        for (var entry : body.properties()) {
            var value = entry.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw ApiException.badRequest("setting '" + entry.getKey() + "' must be a string or number");
            }
            if (WHOLE_NUMBERS.getOrDefault(group, Set.of()).contains(entry.getKey())
                    && !WHOLE_NUMBER.matcher(value.asString()).matches()) {
                throw ApiException.badRequest(
                        "setting '" + entry.getKey() + "' must be a whole number from 0 to 999999999");
            }
            values.put(entry.getKey(), value.asString());
        }
        return settings.put(group, values).then(body(group));
    }

    private Mono<SettingsBody> body(String group) {
        return settings.group(group).map(values -> new SettingsBody(true, group, values));
    }

    /** Answer of both settings endpoints: one group's settings. */
    record SettingsBody(boolean success, String group, Map<String, String> settings) {}
}
