package io.runway.run.face.generic;

import io.runway.common.auth.CallerPrincipal;
import io.runway.run.automation.Automation;
import io.runway.run.automation.AutomationService;
import io.runway.run.face.Callers;
import io.runway.run.face.Params;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Automation definitions and their versions ({@code /api/v1/automations}), with the generic face's errors. */
@RestController
@RequestMapping("/api/v1/automations")
class AutomationController {

    private final AutomationService automations;

    AutomationController(AutomationService automations) {
        this.automations = automations;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<Automation> create(CallerPrincipal caller, @RequestBody JsonNode body) {
        return automations.create(Callers.tenant(caller), caller.id(), body);
    }

    @GetMapping
    Mono<Page> list(
            CallerPrincipal caller,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String offset) {
        var tenant = Callers.tenant(caller);
        var size = Params.intInRange("limit", limit, 100, 1, 1000);
        var skip = Params.intInRange("offset", offset, 0, 0, Integer.MAX_VALUE);
        return Mono.zip(automations.list(tenant, size, skip).collectList(), automations.count(tenant))
                .map(page -> new Page(page.getT1(), page.getT2()));
    }

    @GetMapping("/{id}")
    Mono<Automation> get(CallerPrincipal caller, @PathVariable String id) {
        return automations.get(Callers.tenant(caller), Params.uuid("path", "id", id));
    }

    @PutMapping("/{id}")
    Mono<Automation> update(CallerPrincipal caller, @PathVariable String id, @RequestBody JsonNode body) {
        var tenant = Callers.tenant(caller);
        return automations.update(tenant, caller.id(), Params.uuid("path", "id", id), body);
    }

    @GetMapping("/{id}/versions")
    Mono<Page> versions(CallerPrincipal caller, @PathVariable String id) {
        return automations
                .versions(Callers.tenant(caller), Params.uuid("path", "id", id))
                .map(list -> new Page(list, list.size()));
    }

    record Page(List<Automation> items, long total) {}
}
