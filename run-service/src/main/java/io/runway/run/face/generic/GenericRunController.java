package io.runway.run.face.generic;

import io.runway.common.auth.CallerPrincipal;
import io.runway.run.app.RunService;
import io.runway.run.face.Callers;
import io.runway.run.face.Params;
import io.runway.run.face.StartBodies;
import io.runway.run.runs.Run;
import io.runway.run.runs.RunFilter;
import io.runway.run.runs.RunStep;
import io.runway.run.runs.RunWithSteps;
import io.runway.run.runs.StatusNames;
import io.runway.run.runs.StepStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The generic face of runs (seed 003): plain objects, FastAPI-style errors. */
@RestController
@RequestMapping("/api/v1/automation-runs")
class GenericRunController {

    private static final StatusNames.Face FACE = StatusNames.Face.GENERIC;

    private final RunService runs;

    GenericRunController(RunService runs) {
        this.runs = runs;
    }

    @GetMapping
    Mono<RunList> list(
            CallerPrincipal caller,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String offset,
            @RequestParam(required = false) String after,
            @RequestParam(required = false) String automationId) {
        var tenant = Callers.tenant(caller);
        var statusName = status == null || status.isEmpty()
                ? null
                : Params.oneOf("status", status, null, StatusNames.runFilterNames(FACE));
        var size = Params.intInRange("limit", limit, 100, 1, 1000);
        var skip = Params.intInRange("offset", offset, 0, 0, Integer.MAX_VALUE);
        var cursor = Params.optionalUuid("query", "after", after);
        var automation = Params.optionalUuid("query", "automationId", automationId);
        var filter = new RunFilter(
                tenant,
                automation,
                statusName == null ? null : StatusNames.parseRunFilter(statusName, FACE),
                null,
                false,
                size,
                skip,
                cursor);
        return runs.page(filter)
                .map(page -> new RunList(
                        page.items().stream().map(GenericRunController::view).toList(),
                        page.total(),
                        page.nextCursor()));
    }

    @GetMapping("/{runId}")
    Mono<RunView> get(CallerPrincipal caller, @PathVariable String runId) {
        var tenant = Callers.tenant(caller);
        return runs.get(tenant, Params.uuid("path", "run_id", runId)).map(GenericRunController::view);
    }

    @PostMapping("/{runId}/cancel")
    Mono<RunView> cancel(CallerPrincipal caller, @PathVariable String runId) {
        var tenant = Callers.tenant(caller);
        return runs.stop(tenant, caller.id(), Params.uuid("path", "run_id", runId))
                .map(GenericRunController::view);
    }

    @PostMapping("/{runId}/retry")
    Mono<RunView> retry(
            CallerPrincipal caller, @PathVariable String runId, @RequestBody(required = false) JsonNode body) {
        var tenant = Callers.tenant(caller);
        var id = Params.uuid("path", "run_id", runId);
        var mode = StartBodies.retryMode(body);
        var stepKey = StartBodies.retryStepKey(body);
        return runs.retry(tenant, id, mode, stepKey).map(GenericRunController::view);
    }

    @GetMapping("/{runId}/steps")
    Mono<StepList> steps(CallerPrincipal caller, @PathVariable String runId) {
        var tenant = Callers.tenant(caller);
        return runs.steps(tenant, Params.uuid("path", "run_id", runId)).map(GenericRunController::steps);
    }

    static RunView view(Run run) {
        return new RunView(
                run.automationId(),
                run.automationVersionId(),
                run.completedAt(),
                run.concurrencyKey(),
                run.createdAt(),
                run.durationSeconds(),
                run.error(),
                null,
                run.id(),
                "local",
                run.startedAt(),
                StatusNames.run(run.status(), FACE),
                run.tenantId(),
                run.triggerSourceId(),
                run.triggerSourceType(),
                run.triggerType().db(),
                run.updatedAt(),
                run.versionNumber());
    }

    private static StepList steps(RunWithSteps run) {
        return new StepList(
                run.run().id(),
                run.count(StepStatus.SUCCESS),
                run.count(StepStatus.FAILED),
                run.count(StepStatus.PENDING),
                run.count(StepStatus.RUNNING),
                run.steps().stream().map(GenericRunController::stepView).toList());
    }

    private static StepView stepView(RunStep step) {
        return new StepView(
                step.id(),
                step.completedAt(),
                step.decisionId(),
                step.dependsOn(),
                step.durationSeconds(),
                step.error(),
                step.key(),
                step.name(),
                step.result(),
                step.resultTruncated(),
                step.startedAt(),
                StatusNames.step(step.status(), FACE),
                step.type(),
                step.attempt());
    }

    record RunList(List<RunView> items, long total, UUID nextCursor) {}

    record RunView(
            UUID automationId,
            UUID automationVersionId,
            Instant completedAt,
            String concurrencyKey,
            Instant createdAt,
            Double durationSeconds,
            JsonNode error,
            String externalJobId,
            UUID id,
            String orchestratorType,
            Instant startedAt,
            String status,
            String tenantId,
            String triggerSourceId,
            String triggerSourceType,
            String triggerType,
            Instant updatedAt,
            int versionNumber) {}

    record StepList(
            UUID automationRunId,
            long completedCount,
            long failedCount,
            long pendingCount,
            long runningCount,
            List<StepView> steps) {}

    record StepView(
            UUID actionRunId,
            Instant completedAt,
            String decisionId,
            List<String> dependsOn,
            Double durationSeconds,
            JsonNode error,
            String key,
            String name,
            JsonNode result,
            boolean resultTruncated,
            Instant startedAt,
            String status,
            String type,
            int attempt) {}
}
