package io.runway.run.engine;

import io.runway.run.runs.LockedRun;
import io.runway.run.runs.Run;
import io.runway.run.runs.RunStep;
import io.runway.run.runs.StepFinish;
import io.runway.run.runs.Transition;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What a {@link RunExecution} reads and writes: its run, the run's steps, and its decisions fenced by its lease. */
interface ExecutionStore {

    Mono<Run> findRun(UUID runId);

    Flux<RunStep> steps(UUID runId);

    /** Writes a decision; emits the run as locked before it, or nothing when the owner no longer executes the run. */
    Mono<LockedRun> apply(UUID runId, String owner, Transition transition);

    Mono<Boolean> rerunSteps(UUID runId, String owner, List<String> keys);

    Mono<Boolean> finishSteps(UUID runId, String owner, List<StepFinish> finishes, int progress);
}
