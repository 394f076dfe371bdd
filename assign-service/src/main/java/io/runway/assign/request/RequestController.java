package io.runway.assign.request;

import io.runway.assign.web.Callers;
import io.runway.assign.web.ListBody;
import io.runway.assign.web.Params;
import io.runway.assign.web.UpdatedBody;
import io.runway.common.auth.CallerPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Assign API: requests (campaigns). */
@RestController
@RequestMapping("/api/v1/worker/requests")
class RequestController {

    private static final String[] NOT_DONE = {"pending", "queued", "running", "connect", "connecting"};
    private static final String[] ACTIVE = {"pending", "queued", "running"};

    private final RequestService requests;

    RequestController(RequestService requests) {
        this.requests = requests;
    }

    @GetMapping
    Mono<ListBody<RequestView>> list(
            CallerPrincipal caller,
            @RequestParam(required = false) String status,
            @RequestParam(name = "service_type", required = false) String serviceType,
            @RequestParam(name = "type_request", required = false) String typeRequest,
            @RequestParam(required = false) String limit) {
        Callers.requireAssignServer(caller);
        var statuses = Params.listOf("status", status, Params.REQUEST_STATUSES);
        var type = Params.oneOf("service_type", serviceType, Params.SERVICE_TYPES);
        var kind = typeRequest == null || typeRequest.isBlank() ? null : typeRequest.trim();
        return requests.list(statuses, type, kind, Params.limit(limit, 100, 1000))
                .map(ListBody::of);
    }

    @GetMapping("/completable")
    Mono<ListBody<RequestView>> completable(
            CallerPrincipal caller,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String type,
            @RequestParam(name = "all_links_completed", required = false) String allLinksCompleted,
            @RequestParam(name = "all_links_done", required = false) String allLinksDone,
            @RequestParam(name = "no_active_links", required = false) String noActiveLinks,
            @RequestParam(required = false) String limit) {
        Callers.requireAssignServer(caller);
        var parsedStatus = Params.oneOf("status", status, Params.REQUEST_STATUSES);
        var parsedType = Params.oneOf("type", type, Params.SERVICE_TYPES);
        var done = Params.bool("all_links_completed", allLinksCompleted, false)
                || Params.bool("all_links_done", allLinksDone, false);
        var noActive = Params.bool("no_active_links", noActiveLinks, false);
        var active = noActive && !done ? ACTIVE : NOT_DONE;
        return requests.completable(parsedStatus, parsedType, active, Params.limit(limit, 100, 1000))
                .map(ListBody::of);
    }

    @GetMapping("/{id}/links/count")
    Mono<RequestService.LinkCounts> count(CallerPrincipal caller, @PathVariable String id) {
        Callers.requireAssignServer(caller);
        return requests.counts(Params.uuid("id", id));
    }

    @PutMapping("/{id}/status")
    Mono<UpdatedBody<RequestView>> status(
            CallerPrincipal caller, @PathVariable String id, @RequestBody StatusChange body) {
        Callers.requireAssignServer(caller);
        var requestId = Params.uuid("id", id);
        var status = Params.required("status", body.status(), Params.REQUEST_STATUSES);
        return requests.changeStatus(requestId, status).map(UpdatedBody::of);
    }

    @PutMapping("/{id}/connect")
    Mono<Connected> connect(CallerPrincipal caller, @PathVariable String id) {
        Callers.requireAssignServer(caller);
        return requests.connect(Params.uuid("id", id)).map(n -> new Connected(true, true, n[0], n[1]));
    }

    @PutMapping("/{id}/complete")
    Mono<UpdatedBody<RequestView>> complete(CallerPrincipal caller, @PathVariable String id) {
        Callers.requireAssignServer(caller);
        return requests.complete(Params.uuid("id", id)).map(UpdatedBody::of);
    }

    /** Answer of {@code PUT /requests/:id/connect}: links set to connect, and links canceled. */
    record Connected(boolean success, boolean updated, int linksConnect, int linksCanceled) {}

    /** Body of {@code PUT /requests/:id/status}. */
    record StatusChange(String status) {}
}
