package io.runway.system;

import static io.runway.system.RunClient.internalToken;

import io.runway.common.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing accepted is lost when an engine dies: two packaged run-service instances on one database execute runs
 * started on both, one is killed with SIGKILL while its runs are mid-flight and starts are still arriving, and the
 * survivor takes its leases over. Every run that exists (every answered start, and any start committed but not
 * answered) ends exactly once, with its events numbered without gap, and every step attempt is recorded once.
 *
 * <p>By default 300 starts at 250/s; {@code -Dkill.starts} and {@code -Dkill.startsPerSecond} change the load, and it
 * prints what it measured. The same scenario with warmed, fully compiled engines under the throughput load is part
 * of {@link EngineScalingBenchmark}.
 */
@Timeout(600)
class EngineKillIntegrationTests {

    @RegisterExtension
    static final SystemStack stack = SystemStack.gatewayAndRunServices(2)
            .withRunServiceEnv("APP_ENGINE_LEASE", "3s")
            .withRunServiceEnv("APP_ENGINE_RENEW_EVERY", "1s")
            .withRunServiceEnv("APP_ENGINE_SWEEP_EVERY", "500ms");

    private static final String TENANT = "tenant-kill";

    @Test
    void everyRunStartedOnAKilledEngineEndsExactlyOnceOnTheSurvivor() throws Exception {
        var load = StartLoad.of(
                new RunClient(stack.runServiceUrl(0)),
                internalToken(TestTokens.user("u1", TENANT)),
                KillUnderLoad.AUTOMATION_WITH_A_WAIT);
        KillUnderLoad.run(
                stack,
                new RunLedger(stack, TENANT),
                load,
                Integer.getInteger("kill.starts", 300),
                Integer.getInteger("kill.startsPerSecond", 250));
    }
}
