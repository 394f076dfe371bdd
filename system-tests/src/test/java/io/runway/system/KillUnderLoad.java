package io.runway.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Two run-service instances take starts of an automation whose step {@code b} waits, offered at a fixed rate; the second
 * instance is killed with SIGKILL once both engines hold runs waiting in that step, while starts still arrive, and the
 * survivor takes its share and, when the leases run out, its runs. Then the ledger must show nothing lost.
 */
final class KillUnderLoad {

    /** Five steps, the second a one-second wait, so runs are in flight when the engine dies. */
    static final String AUTOMATION_WITH_A_WAIT = StartLoad.fiveSteps(1);

    private KillUnderLoad() {}

    /** What one kill under load measured. */
    record Outcome(
            int offered,
            int perSecond,
            List<StartLoad.Answered> answers,
            double answeredAfter,
            double killedAfter,
            long runsBeforeKill,
            long runs,
            double endedAfter,
            long stepsRerun,
            Object refusals) {

        void print() {
            System.out.printf(
                    "KILL %d starts offered at %d/s: %d answered in %.1f s; engine killed %.1f s in, with %d runs"
                            + " started; all %d runs ended %.1f s after the first start (%.0f runs/s); %d steps re-run;"
                            + " starts not answered: %s%n",
                    offered,
                    perSecond,
                    answers.size(),
                    answeredAfter,
                    killedAfter,
                    runsBeforeKill,
                    runs,
                    endedAfter,
                    runs / endedAfter,
                    stepsRerun,
                    refusals);
        }
    }

    /** Runs the scenario on instances 0 (survivor) and 1 (killed) of the stack and checks the ledger. */
    static Outcome run(SystemStack stack, RunLedger ledger, StartLoad load, int starts, int perSecond)
            throws Exception {
        var survivor = new RunClient(stack.runServiceUrl(0));
        var doomed = new RunClient(stack.runServiceUrl(1));
        long startedAt = System.nanoTime();
        var answered = load.offer(survivor, doomed, starts, perSecond);
        // Kill once both engines have runs waiting in step b (a cold engine on a busy machine may answer starts well
        // before it executes them) and while starts still arrive.
        var killAt =
                System.nanoTime() + Duration.ofSeconds(30 + starts / perSecond).toNanos();
        while ((ledger.count("true") < starts / 4 || ledger.enginesWithRunsInStep("b") < 2)
                && System.nanoTime() < killAt) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        long runsBeforeKill = ledger.count("true");
        long killedAt = System.nanoTime();
        stack.killRunService(1);
        var answers = answered.get(120 + 2L * starts / perSecond, TimeUnit.SECONDS);
        long answeredAt = System.nanoTime();
        ledger.awaitAllEnded(Duration.ofSeconds(90));
        long endedAt = System.nanoTime();

        var outcome = new Outcome(
                starts,
                perSecond,
                answers,
                seconds(answeredAt - startedAt),
                seconds(killedAt - startedAt),
                runsBeforeKill,
                ledger.count("true"),
                seconds(endedAt - startedAt),
                ledger.stepsRerun(),
                load.refusals());
        outcome.print();
        assertThat(answers).as("starts the doomed engine answered").anyMatch(StartLoad.Answered::byDoomed);
        ledger.assertEveryRunSucceededExactlyOnce(
                answers.stream().map(StartLoad.Answered::runId).toList());
        assertThat(outcome.stepsRerun())
                .as("steps re-run after the kill (the doomed engine had runs in flight)")
                .isPositive();
        return outcome;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
