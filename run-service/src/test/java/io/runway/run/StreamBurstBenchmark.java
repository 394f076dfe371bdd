package io.runway.run;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import io.runway.run.stream.SubscriberCrowd;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Whether the engine keeps its pace while a crowd of stream subscribers connects at once (issue 15's start-up burst):
 * five-step runs started at a fixed rate over HTTP, answered and finished, in a window before the burst and in the
 * window of the burst; the subscribers ({@code -Dbench.subscribers}, default 10,000, over ten quiet runs) live in a
 * process of their own ({@link SubscriberCrowd}). Prints {@code BENCH} lines. Run: {@code ./mvnw -B verify -Pbench -pl
 * common,run-service -Dtest=StreamBurstBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.root=WARN"})
@ActiveProfiles("deployed-timings")
@RealInfrastructure
class StreamBurstBenchmark {

    private static final String WAIT_AN_HOUR =
            "[{\"key\": \"wait\", \"type\": \"delay\", \"config\": {\"seconds\": 3600}}]";

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Test
    void enginePaceWhileSubscribersConnectAtOnce() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 10_000);
        int rate = Integer.getInteger("bench.startsPerSecond", 200);
        int seconds = Integer.getInteger("bench.windowSeconds", 10);
        var probe = new EngineLatencyProbe(port, "bench", "bench-burst");
        var five = probe.automation(RunEngineBenchmark.FIVE_STEPS);
        var quiet = probe.automation(WAIT_AN_HOUR);
        var runs = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            runs.add(probe.startRun(quiet));
        }
        // Both paths warm, as in a service that has run for a while: a crowd that connects and leaves, then starts.
        burst(
                subscribers,
                runs,
                "warm-up, not counted: ",
                () -> probe.startLatency(five, rate, 30, "warm-up, not counted: "));
        probe.startLatency(five, rate, 60, "warm-up, not counted: ");
        window(probe, five, rate, seconds, "before the burst: ");
        burst(subscribers, runs, "", () -> window(probe, five, rate, seconds, "during the burst: "));
    }

    /** Connects the crowd while {@code meanwhile} runs, prints how long connecting took, then lets the crowd go. */
    private void burst(int subscribers, List<String> runs, String label, Runnable meanwhile)
            throws IOException, InterruptedException {
        var output = Files.createTempFile("subscriber-crowd", ".txt");
        var paths = runs.stream()
                .map(run -> "/api/v1/automation-runs/" + run + "/events")
                .toList();
        var crowd = SubscriberCrowd.start(
                port, TestTokens.user("bench", "bench-burst"), 0, subscribers, 150, paths, output);
        long begin = System.nanoTime();
        var connected = new Thread(() -> {
            while (active() < subscribers && crowd.isAlive()) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
            System.out.printf(
                    "BENCH %sburst: %.0f of %d subscribers connected after %.2f s%n",
                    label, active(), subscribers, (System.nanoTime() - begin) / 1e9);
        });
        connected.start();
        meanwhile.run();
        connected.join(Duration.ofSeconds(120).toMillis());
        crowd.destroy();
        crowd.waitFor(10, TimeUnit.SECONDS);
        Files.delete(output);
        while (active() > 0) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private void window(EngineLatencyProbe probe, String automation, int rate, int seconds, String label) {
        double finishedBefore = finished();
        long begin = System.nanoTime();
        int starts = probe.startLatency(automation, rate, seconds, label);
        double elapsed = (System.nanoTime() - begin) / 1e9;
        System.out.printf(
                "BENCH   %s%d starts, %.0f runs finished in %.1f s (%.0f runs/s)%n",
                label, starts, finished() - finishedBefore, elapsed, (finished() - finishedBefore) / elapsed);
    }

    private double active() {
        return registry.get("run.events.subscribers.active").gauge().value();
    }

    private double finished() {
        return registry.find("run.engine.runs.finished").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }
}
