package io.runway.assign.link;

import io.runway.assign.web.Callers;
import io.runway.assign.web.ListBody;
import io.runway.assign.web.Params;
import io.runway.assign.web.UpdatedBody;
import io.runway.assign.web.UpdatedCount;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Assign API: links (tasks) to dispatch, retry and count. */
@RestController
@RequestMapping("/api/v1/worker/links")
class LinkController {

    static final int MAX_BULK = 5000;

    private final LinkService links;

    LinkController(LinkService links) {
        this.links = links;
    }

    @GetMapping
    Mono<ListBody<LinkView>> list(
            CallerPrincipal caller,
            @RequestParam(required = false) String status,
            @RequestParam(name = "service_type", required = false) String serviceType,
            @RequestParam(required = false) String stale,
            @RequestParam(name = "timeout_minutes", required = false) String timeoutMinutes,
            @RequestParam(required = false) String limit) {
        Callers.requireAssignServer(caller);
        var type = Params.oneOf("service_type", serviceType, Params.SERVICE_TYPES);
        var max = Params.limit(limit, 100, 1000);
        if (Params.bool("stale", stale, false)) {
            var timeout = Params.intInRange("timeout_minutes", timeoutMinutes, 15, 1, 525_600);
            return links.stale(timeout, type, max).map(ListBody::of);
        }
        var parsedStatus =
                status == null || status.isBlank() ? "pending" : Params.oneOf("status", status, Params.LINK_STATUSES);
        return links.byStatus(parsedStatus, type, max).map(ListBody::of);
    }

    @PutMapping("/{id}/assign")
    Mono<UpdatedBody<LinkView>> assign(CallerPrincipal caller, @PathVariable String id, @RequestBody ServerRef body) {
        Callers.requireAssignServer(caller);
        var linkId = Params.uuid("id", id);
        var serverId = Params.uuid("server_id", body.serverId());
        return links.assign(linkId, serverId).map(UpdatedBody::of);
    }

    @PostMapping("/bulk")
    Mono<Created> bulk(CallerPrincipal caller, @RequestBody BulkBody body) {
        Callers.requireAssignServer(caller);
        if (body.links() == null || body.links().isEmpty()) {
            throw ApiException.badRequest("links must be a non-empty array");
        }
        if (body.links().size() > MAX_BULK) {
            throw ApiException.badRequest("at most " + MAX_BULK + " links per request");
        }
        var rows = new ArrayList<Map<String, Object>>(body.links().size());
        for (int i = 0; i < body.links().size(); i++) {
            var link = body.links().get(i);
            if (link == null) {
                throw ApiException.badRequest("links[" + i + "] must be an object");
            }
            var at = "links[" + i + "].";
            var maxRetries = link.maxRetries();
            if (maxRetries != null && (maxRetries < 0 || maxRetries > 100)) {
                throw ApiException.badRequest(at + "max_retries must be between 0 and 100");
            }
            if (link.details() != null
                    && !link.details().isNull()
                    && !link.details().isObject()) {
                throw ApiException.badRequest(at + "details must be an object");
            }
            rows.add(links.row(
                    link,
                    Params.uuid(at + "request_id", link.requestId()),
                    Params.oneOf(at + "service_type", link.serviceType(), Params.SERVICE_TYPES),
                    Params.optionalUuid(at + "server_id", link.serverId()),
                    Params.optionalUuid(at + "site_id", link.siteId()),
                    Params.optionalUuid(at + "account_id", link.accountId())));
        }
        return links.bulkCreate(rows).map(created -> new Created(true, created));
    }

    @GetMapping("/retryable")
    Mono<ListBody<LinkView>> retryable(
            CallerPrincipal caller,
            @RequestParam(name = "service_type", required = false) String serviceType,
            @RequestParam(required = false) String limit) {
        Callers.requireAssignServer(caller);
        return links.retryable(
                        Params.oneOf("service_type", serviceType, Params.SERVICE_TYPES), Params.limit(limit, 100, 1000))
                .map(ListBody::of);
    }

    @PutMapping("/{id}/retry")
    Mono<UpdatedBody<LinkView>> retry(CallerPrincipal caller, @PathVariable String id) {
        Callers.requireAssignServer(caller);
        return links.retry(Params.uuid("id", id)).map(UpdatedBody::of);
    }

    @PutMapping("/bulk-retry")
    Mono<Retried> bulkRetry(CallerPrincipal caller, @RequestBody BulkRetryBody body) {
        Callers.requireAssignServer(caller);
        if (body.linkIds() == null || body.linkIds().isEmpty()) {
            throw ApiException.badRequest("link_ids must be a non-empty array");
        }
        if (body.linkIds().size() > MAX_BULK) {
            throw ApiException.badRequest("at most " + MAX_BULK + " link_ids per request");
        }
        var ids = body.linkIds().stream()
                .map(id -> Params.uuid("link_ids", id))
                .distinct()
                .toList();
        return links.bulkRetry(ids).map(n -> new Retried(true, n, ids.size() - n));
    }

    @PutMapping("/mark-final-failed")
    Mono<UpdatedCount> markFinalFailed(CallerPrincipal caller, @RequestBody(required = false) RequestRef body) {
        Callers.requireAssignServer(caller);
        // required: a missing or empty request_id once meant "every request", one typo away from a fleet-wide change
        var requestId = Params.uuid("request_id", body == null ? null : body.requestId());
        return links.markFinalFailed(requestId).map(UpdatedCount::of);
    }

    @GetMapping("/account-stats")
    Mono<LinkRepository.AccountStats> accountStats(
            CallerPrincipal caller,
            @RequestParam(required = false) String email,
            @RequestParam(name = "request_id", required = false) String requestId) {
        Callers.requireAssignServer(caller);
        if (email == null || email.isBlank()) {
            throw ApiException.badRequest("email is required");
        }
        return links.accountStats(email.trim(), Params.optionalUuid("request_id", requestId));
    }

    /** Body of {@code PUT /links/:id/assign}. */
    record ServerRef(String serverId) {}

    /** Body of {@code POST /links/bulk}. */
    record BulkBody(List<BulkLink> links) {}

    /** Body of {@code PUT /links/bulk-retry}. */
    record BulkRetryBody(List<String> linkIds) {}

    /** Body of {@code PUT /links/mark-final-failed}. */
    record RequestRef(String requestId) {}

    /** Answer of {@code POST /links/bulk}. */
    record Created(boolean success, int created) {}

    /** Answer of {@code PUT /links/bulk-retry}: links reset, and the named links that were not retryable. */
    record Retried(boolean success, int updated, int skipped) {}
}
