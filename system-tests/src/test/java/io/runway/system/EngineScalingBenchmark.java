package io.runway.system;

import static io.runway.system.RunClient.internalToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two packaged run-service instances on one database, fully compiled and warmed, with the deployed engine timings:
 * how many five-step runs one instance and then both finish per second over HTTP (starts kept in flight on each, the
 * client in this JVM), with the CPU each process spends per run; then a kill -9 of one instance under an offered load
 * (by default 1,000 starts/s), after which nothing may be lost (docs/benchmarks.md, issue 16).
 *
 * <pre>
 * ./mvnw -B verify -Pbench -pl common,gateway,run-service,system-tests -Dtest=EngineScalingBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dscale.warmupSeconds=60 -Dscale.seconds=20 -Dscale.inFlight=48
 *     -Dscale.killStarts=30000 -Dscale.killStartsPerSecond=1000 -Dscale.jvmArgs=...]
 * </pre>
 */
@Tag("benchmark")
@Timeout(1800)
class EngineScalingBenchmark {

    @RegisterExtension
    static final SystemStack stack = SystemStack.gatewayAndRunServices(2).withJvmArgs(jvmArgs());

    private static final int WARMUP_SECONDS = Integer.getInteger("scale.warmupSeconds", 60);
    private static final int SECONDS = Integer.getInteger("scale.seconds", 20);
    private static final int IN_FLIGHT = Integer.getInteger("scale.inFlight", 48);

    @Test
    void runsPerSecondOnOneAndTwoInstancesThenAKillUnderLoad() throws Exception {
        var a = new RunClient(stack.runServiceUrl(0));
        var b = new RunClient(stack.runServiceUrl(1));
        var pids =
                Map.of("client", 0L, "run-service a", stack.runServicePid(0), "run-service b", stack.runServicePid(1));

        phase("warm-up, not counted", "tenant-warm", List.of(a, b), Duration.ofSeconds(WARMUP_SECONDS), pids);
        double one = phase("one instance", "tenant-one", List.of(a), Duration.ofSeconds(SECONDS), pids);
        double two = phase("two instances", "tenant-two", List.of(a, b), Duration.ofSeconds(SECONDS), pids);
        System.out.printf("SCALE two instances / one instance: %.2f%n", two / one);

        var tenant = "tenant-kill";
        var killed = KillUnderLoad.run(
                stack,
                new RunLedger(stack, tenant),
                StartLoad.of(a, internalToken(TestTokens.user("u1", tenant)), KillUnderLoad.AUTOMATION_WITH_A_WAIT),
                Integer.getInteger("scale.killStarts", 30_000),
                Integer.getInteger("scale.killStartsPerSecond", 1_000));
        assertThat(killed.answers()).as("starts answered").isNotEmpty();
    }

    /** Full JIT and a fixed heap, plus {@code -Dscale.jvmArgs} (e.g. a flight recording, {name} in its file name). */
    private static String[] jvmArgs() {
        var args = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError"));
        var extra = System.getProperty("scale.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            args.addAll(List.of(extra.split("\\s+")));
        }
        return args.toArray(String[]::new);
    }

    /** Keeps starts in flight on the engines for a while; answers five-step runs finished per second. */
    private static double phase(
            String label, String tenant, List<RunClient> engines, Duration length, Map<String, Long> pids) {
        var ledger = new RunLedger(stack, tenant);
        var load = StartLoad.of(engines.get(0), internalToken(TestTokens.user("u1", tenant)), StartLoad.fiveSteps(0));
        var before = ProcessCpu.now(pids);
        long answered = load.closedLoop(engines, IN_FLIGHT, length);
        assertThat(ledger.awaitAllEnded(Duration.ofSeconds(60)))
                .as("every run of " + label + " ended")
                .isTrue();
        var used = ProcessCpu.since(before, ProcessCpu.now(pids));
        long runs = ledger.count("status = 'success'");
        double seconds = ledger.firstCreatedToLastCompletedSeconds();
        double perSecond = runs / seconds;
        System.out.printf(
                "SCALE %-22s %d starts answered, %d runs succeeded of %d in %.2f s = %.0f runs/s; CPU per run: %s;"
                        + " not answered: %s%n",
                label,
                answered,
                runs,
                ledger.count("true"),
                seconds,
                perSecond,
                used.entrySet().stream()
                        .map(e -> "%s %.2f ms".formatted(e.getKey(), e.getValue() / runs))
                        .collect(Collectors.joining(", ")),
                load.refusals());
        return perSecond;
    }
}
