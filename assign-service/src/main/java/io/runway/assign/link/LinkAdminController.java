package io.runway.assign.link;

import io.runway.assign.web.Callers;
import io.runway.assign.web.Params;
import io.runway.common.auth.CallerPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Operator API: the console's bulk retry of a request's failed links. */
@RestController
class LinkAdminController {

    /** As many links as {@code PUT /links/bulk-retry} may name at once; a larger backlog takes several calls. */
    static final int MAX_RETRIED = 5000;

    private final LinkService links;

    LinkAdminController(LinkService links) {
        this.links = links;
    }

    @Operation(
            summary = "Retry the failed links of a request",
            description =
                    "Puts up to 5000 of the request's failed links back to pending, due now, one retry more each"
                            + " (as PUT /links/bulk-retry does). Answers how many were retried and whether failed links remain.")
    @PostMapping("/api/v1/admin/requests/{id}/retry-failed")
    Mono<RetriedBody> retryFailed(CallerPrincipal caller, @PathVariable String id) {
        Callers.requireAdmin(caller);
        return links.retryFailedOf(Params.uuid("id", id), MAX_RETRIED)
                .map(n -> new RetriedBody(true, n, n == MAX_RETRIED));
    }

    /** {@code {"success": true, "updated": n, "more": false}}; {@code more}: call again for the rest. */
    record RetriedBody(boolean success, int updated, boolean more) {}
}
