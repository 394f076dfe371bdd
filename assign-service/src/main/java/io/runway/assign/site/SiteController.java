package io.runway.assign.site;

import io.runway.assign.web.Callers;
import io.runway.assign.web.ListBody;
import io.runway.assign.web.Params;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import io.runway.common.id.UuidV7;
import io.runway.common.likepion.DataBody;
import java.time.Clock;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Sites: listed by the Assign API, created and changed by operators. */
@RestController
class SiteController {

    private final SiteRepository sites;
    private final Clock clock;

    SiteController(SiteRepository sites, Clock clock) {
        this.sites = sites;
        this.clock = clock;
    }

    @GetMapping("/api/v1/worker/sites")
    Mono<ListBody<SiteView>> list(
            CallerPrincipal caller,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String active,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String ids) {
        Callers.requireAssignServer(caller);
        var parsedType = Params.oneOf("type", type, Params.SERVICE_TYPES);
        Boolean parsedActive = active == null || active.isBlank() ? null : Params.bool("active", active, true);
        var parsedIds = Params.uuids("ids", ids);
        if (parsedIds.size() > 1000) {
            throw ApiException.badRequest("at most 1000 ids");
        }
        return sites.list(parsedType, parsedActive, parsedIds.toArray(UUID[]::new), Params.limit(limit, 100, 1000))
                .collectList()
                .map(ListBody::of);
    }

    @PostMapping("/api/v1/admin/sites")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<DataBody<SiteView>> create(CallerPrincipal caller, @RequestBody SiteBody body) {
        Callers.requireAdmin(caller);
        if (body.name() == null || body.name().isBlank()) {
            throw ApiException.badRequest("name is required");
        }
        var type = Params.required("type", body.type(), Params.SERVICE_TYPES);
        var id = UuidV7.next(clock);
        return sites.insert(
                        id,
                        body.name().trim(),
                        type,
                        body.active() == null || body.active(),
                        config(body),
                        clock.instant())
                .then(sites.find(id))
                .map(DataBody::of);
    }

    @PutMapping("/api/v1/admin/sites/{id}")
    Mono<DataBody<SiteView>> update(CallerPrincipal caller, @PathVariable String id, @RequestBody SiteBody body) {
        Callers.requireAdmin(caller);
        var siteId = Params.uuid("id", id);
        var type = Params.oneOf("type", body.type(), Params.SERVICE_TYPES);
        return sites.update(siteId, body.name(), type, body.active(), config(body), clock.instant())
                .flatMap(rows -> rows == 0
                        ? Mono.error(ApiException.notFound("site " + siteId + " not found"))
                        : sites.find(siteId))
                .map(DataBody::of);
    }

    private static String config(SiteBody body) {
        if (body.config() == null || body.config().isNull()) {
            return null;
        }
        if (!body.config().isObject()) {
            throw ApiException.badRequest("config must be a JSON object");
        }
        return body.config().toString();
    }

    /** Body of site creation and change. */
    record SiteBody(String name, String type, Boolean active, JsonNode config) {}
}
