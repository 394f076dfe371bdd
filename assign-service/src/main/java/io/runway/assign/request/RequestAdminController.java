package io.runway.assign.request;

import io.runway.assign.web.Callers;
import io.runway.assign.web.Params;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import io.runway.common.id.UuidV7;
import io.runway.common.likepion.DataBody;
import java.math.BigDecimal;
import java.time.Clock;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Operator API: create and change requests (campaigns). */
@RestController
@RequestMapping("/api/v1/admin/requests")
class RequestAdminController {

    private final RequestService requests;
    private final Clock clock;

    RequestAdminController(RequestService requests, Clock clock) {
        this.requests = requests;
        this.clock = clock;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<DataBody<RequestView>> create(CallerPrincipal caller, @RequestBody Campaign body) {
        Callers.requireAdmin(caller);
        if (body.name() == null || body.name().isBlank()) {
            throw ApiException.badRequest("name is required");
        }
        var request = new NewRequest(
                UuidV7.next(clock),
                Params.optionalUuid("user_id", body.userId()),
                Params.required("service_type", body.serviceType(), Params.SERVICE_TYPES),
                Params.optionalUuid("group_id", body.groupId()),
                body.name().trim(),
                body.website(),
                price(body.auctionPrice()),
                target(body.target() == null ? 0 : body.target()),
                body.status() == null ? "pending" : Params.required("status", body.status(), Params.REQUEST_STATUSES),
                body.typeRequest() == null || body.typeRequest().isBlank() ? "normal" : body.typeRequest(),
                body.priority() == null ? 0 : body.priority(),
                object("config", body.config()),
                object("data", body.data()),
                object("folder_urls", body.folderUrls()));
        return requests.create(request).map(DataBody::of);
    }

    @GetMapping("/{id}")
    Mono<DataBody<RequestView>> get(CallerPrincipal caller, @PathVariable String id) {
        Callers.requireAdmin(caller);
        return requests.find(Params.uuid("id", id)).map(DataBody::of);
    }

    @PutMapping("/{id}")
    Mono<DataBody<RequestView>> update(CallerPrincipal caller, @PathVariable String id, @RequestBody Campaign body) {
        Callers.requireAdmin(caller);
        var change = new RequestChange(
                body.target() == null ? null : target(body.target()),
                body.priority(),
                body.auctionPrice() == null ? null : price(body.auctionPrice()),
                body.website(),
                object("config", body.config()));
        var status = Params.oneOf("status", body.status(), Params.REQUEST_STATUSES);
        return requests.update(Params.uuid("id", id), change, status).map(DataBody::of);
    }

    private static int target(int target) {
        if (target < 0 || target > 10_000_000) {
            throw ApiException.badRequest("target must be between 0 and 10000000");
        }
        return target;
    }

    private static BigDecimal price(BigDecimal price) {
        if (price == null) {
            return BigDecimal.ZERO;
        }
        if (price.signum() < 0 || price.precision() - price.scale() > 10) {
            throw ApiException.badRequest("auction_price must be a non-negative amount below 10^10");
        }
        return price;
    }

    private static String object(String name, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(name + " must be a JSON object");
        }
        return node.toString();
    }

    /** Body of request creation and change. */
    record Campaign(
            String name,
            String serviceType,
            Integer target,
            String website,
            BigDecimal auctionPrice,
            Integer priority,
            String groupId,
            String userId,
            String typeRequest,
            String status,
            JsonNode config,
            JsonNode data,
            JsonNode folderUrls) {}
}
