package io.runway.assign.server;

import io.runway.assign.web.Callers;
import io.runway.assign.web.ListBody;
import io.runway.assign.web.Params;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import io.runway.common.likepion.DataBody;
import java.time.Clock;
import java.util.List;
import java.util.Set;
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

/** Operator API: register servers (the raw key is returned once), rotate their keys, change them. */
@RestController
@RequestMapping("/api/v1/admin/servers")
class ServerAdminController {

    private static final Set<String> SERVICES = Set.of("tool", "assign");

    private final ServerService servers;
    private final Clock clock;

    ServerAdminController(ServerService servers, Clock clock) {
        this.servers = servers;
        this.clock = clock;
    }

    @GetMapping
    Mono<ListBody<ServerView>> list(CallerPrincipal caller, @RequestParam(required = false) String name) {
        Callers.requireAdmin(caller);
        return servers.byName(name == null || name.isBlank() ? null : name).map(ListBody::of);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<KeyBody> register(CallerPrincipal caller, @RequestBody Registration body) {
        Callers.requireAdmin(caller);
        if (body.name() == null || body.name().isBlank()) {
            throw ApiException.badRequest("name is required");
        }
        var service = body.service() == null ? "tool" : Params.required("service", body.service(), SERVICES);
        var status =
                body.status() == null ? "online" : Params.required("status", body.status(), Params.SERVER_STATUSES);
        var server = new NewServer(
                ServerService.newId(clock),
                body.name().trim(),
                body.ip(),
                service,
                serviceTypes(body.serviceTypes()),
                status,
                nonNegative("max_threads", body.maxThreads(), 10),
                body.priority() == null ? 0 : body.priority());
        return servers.register(server).map(r -> new KeyBody(true, r.server(), r.apiKey()));
    }

    @PostMapping("/{id}/rotate-key")
    Mono<KeyBody> rotate(CallerPrincipal caller, @PathVariable String id) {
        Callers.requireAdmin(caller);
        return servers.rotateKey(Params.uuid("id", id)).map(r -> new KeyBody(true, r.server(), r.apiKey()));
    }

    @PutMapping("/{id}")
    Mono<DataBody<ServerView>> update(CallerPrincipal caller, @PathVariable String id, @RequestBody Registration body) {
        Callers.requireAdmin(caller);
        var change = new ServerUpdate(
                body.ip(),
                Params.oneOf("status", body.status(), Params.SERVER_STATUSES),
                body.maxThreads() == null ? null : nonNegative("max_threads", body.maxThreads(), 0),
                body.priority(),
                body.serviceTypes() == null ? null : serviceTypes(body.serviceTypes()));
        return servers.update(Params.uuid("id", id), change).map(DataBody::of);
    }

    private static int nonNegative(String name, Integer value, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (value < 0 || value > 100_000) {
            throw ApiException.badRequest(name + " must be between 0 and 100000");
        }
        return value;
    }

    private static String[] serviceTypes(List<String> types) {
        if (types == null) {
            return new String[0];
        }
        if (types.size() > Params.SERVICE_TYPES.size()) {
            throw ApiException.badRequest(
                    "service_types lists at most " + Params.SERVICE_TYPES.size() + " types: " + Params.SERVICE_TYPES);
        }
        return types.stream()
                .map(t -> Params.required("service_types", t, Params.SERVICE_TYPES))
                .distinct()
                .toArray(String[]::new);
    }

    /** Body of server registration and change. */
    record Registration(
            String name,
            String ip,
            String service,
            List<String> serviceTypes,
            String status,
            Integer maxThreads,
            Integer priority) {}

    /** A server with its raw API key: {@code {"success":true,"data":{...},"api_key":"..."}}. */
    record KeyBody(boolean success, ServerView data, String apiKey) {}
}
