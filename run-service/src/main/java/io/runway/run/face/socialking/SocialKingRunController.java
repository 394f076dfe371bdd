package io.runway.run.face.socialking;

import io.runway.common.auth.CallerPrincipal;
import io.runway.run.app.RunService;
import io.runway.run.face.Callers;
import io.runway.run.face.Params;
import io.runway.run.face.StartBodies;
import io.runway.run.runs.Run;
import io.runway.run.runs.RunFilter;
import io.runway.run.runs.StatusNames;
import io.runway.run.runs.TriggerType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The SocialKing face of runs (seed 000): {@code {"success": true, "data": ...}} envelopes, underscore parameters. */
@RestController
@RequestMapping("/api/v1/automation/run")
class SocialKingRunController {

    private static final StatusNames.Face FACE = StatusNames.Face.SOCIALKING;

    private final RunService runs;

    SocialKingRunController(RunService runs) {
        this.runs = runs;
    }

    @PostMapping("/{id}/start")
    Mono<Envelope> start(
            CallerPrincipal caller,
            @PathVariable String id,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestBody(required = false) JsonNode body) {
        var tenant = Callers.tenant(caller);
        var automationId = Params.uuid("path", "id", id);
        var options = StartBodies.start(body, idempotencyKey);
        return runs.start(tenant, caller.id(), automationId, options)
                .map(run -> Envelope.of(new StartData(run.id(), run.automationId(), name(run), run.startedAt())));
    }

    @PostMapping("/{runId}/stop")
    Mono<Message> stop(CallerPrincipal caller, @PathVariable String runId) {
        var tenant = Callers.tenant(caller);
        return runs.stop(tenant, caller.id(), Params.uuid("path", "runId", runId))
                .thenReturn(new Message(true, "Run stopped"));
    }

    @GetMapping("/{runId}/status")
    Mono<Envelope> status(CallerPrincipal caller, @PathVariable String runId) {
        var tenant = Callers.tenant(caller);
        return runs.get(tenant, Params.uuid("path", "runId", runId))
                .map(run -> Envelope.of(new StatusData(run.id(), name(run), run.progress(), run.completedAt())));
    }

    @GetMapping("/active")
    Mono<Envelope> active(CallerPrincipal caller, @RequestParam(name = "_limit", required = false) String limit) {
        var tenant = Callers.tenant(caller);
        var size = Params.intInRange("_limit", limit, 10, 1, 100);
        return runs.active(tenant, size)
                .map(run -> new StartData(run.id(), run.automationId(), name(run), run.startedAt()))
                .collectList()
                .map(Envelope::of);
    }

    @GetMapping("/history")
    Mono<Envelope> history(
            CallerPrincipal caller,
            @RequestParam(name = "_page", required = false) String page,
            @RequestParam(name = "_limit", required = false) String limit,
            @RequestParam(name = "_order", required = false) String order,
            @RequestParam(name = "_status", required = false) String status,
            @RequestParam(name = "_fbAutomationId", required = false) String automationId,
            @RequestParam(name = "_triggeredBy", required = false) String triggeredBy,
            @RequestParam(name = "_cursor", required = false) String cursor) {
        var tenant = Callers.tenant(caller);
        var pageNumber = Params.intInRange("_page", page, 1, 1, 1_000_000);
        var size = Params.intInRange("_limit", limit, 10, 1, 100);
        var ascending =
                Params.oneOf("_order", order, "desc", List.of("asc", "desc")).equals("asc");
        var statusNames = new java.util.ArrayList<>(List.of("all"));
        statusNames.addAll(StatusNames.runFilterNames(FACE));
        var statusName = Params.oneOf("_status", status, "all", statusNames);
        var automation = Params.uuid("query", "_fbAutomationId", automationId);
        var triggerNames = new java.util.ArrayList<>(List.of("all"));
        triggerNames.addAll(TriggerType.NAMES);
        var trigger = Params.oneOf("_triggeredBy", triggeredBy, "all", triggerNames);
        var after = Params.optionalUuid("query", "_cursor", cursor);
        var filter = new RunFilter(
                tenant,
                automation,
                statusName.equals("all") ? null : StatusNames.parseRunFilter(statusName, FACE),
                trigger.equals("all") ? null : TriggerType.fromDb(trigger),
                ascending,
                size,
                (long) (pageNumber - 1) * size,
                after);
        return runs.page(filter)
                .map(result -> Envelope.of(new HistoryData(
                        result.items().stream()
                                .map(SocialKingRunController::historyRun)
                                .toList(),
                        result.total(),
                        pageNumber,
                        result.nextCursor())));
    }

    private static HistoryRun historyRun(Run run) {
        return new HistoryRun(
                run.id(), run.automationId(), name(run), run.triggerType().db(), run.startedAt(), run.completedAt());
    }

    private static String name(Run run) {
        return StatusNames.run(run.status(), FACE);
    }

    record Envelope(boolean success, Object data) {

        static Envelope of(Object data) {
            return new Envelope(true, data);
        }
    }

    record Message(boolean success, String message) {}

    record StartData(UUID runId, UUID automationId, String status, Instant startedAt) {}

    record StatusData(UUID runId, String status, int progress, Instant completedAt) {}

    record HistoryRun(
            UUID runId, UUID automationId, String status, String triggeredBy, Instant startedAt, Instant completedAt) {}

    record HistoryData(List<HistoryRun> runs, long total, int page, UUID nextCursor) {}
}
