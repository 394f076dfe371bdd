package io.runway.run.stream;

import static io.runway.run.stream.RunFixtures.TENANT_A;
import static io.runway.run.stream.RunFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * Ten thousand subscribers on one instance, counted: they connect all at once (a dashboard reloaded by a whole team, or
 * a gateway restart), none is refused, and each gets every event of its run once and in order until the run ends. The
 * subscribers live in a process of their own ({@link SubscriberCrowd}): one process may hold at most 20,000 files.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.root=WARN"})
@RealInfrastructure
class RunStreamCrowdIntegrationTests {

    private static final int SUBSCRIBERS = 10_000;
    private static final int RUNS = 10;
    private static final Pattern SUMMARY =
            Pattern.compile("CROWD opened=(\\d+) ended=(\\d+) failed=(\\d+) gaps=(\\d+) timedOut=(\\w+) last=(\\S+)");

    @Autowired
    ApplicationContext context;

    @Test
    void tenThousandSubscribersConnectingAtOnceAreAllServedAndEachGetsEveryEventOnceInOrder() throws Exception {
        var app = new RunFixtures(context);
        var runs = new ArrayList<UUID>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(app.startRun(RunFixtures.WAIT_AN_HOUR, 3));
        }
        var output = Files.createTempFile("subscriber-crowd", ".txt");
        var crowd = SubscriberCrowd.start(
                app.port(),
                TENANT_A,
                3,
                SUBSCRIBERS,
                150,
                runs.stream().map(RunFixtures::generic).toList(),
                output);
        try {
            await(
                    () -> subscribersActive() >= SUBSCRIBERS || !crowd.isAlive(),
                    SUBSCRIBERS + " subscribers connected",
                    Duration.ofSeconds(120));
            assertThat(subscribersActive()).isEqualTo(SUBSCRIBERS);
            for (int round = 0; round < 5; round++) {
                for (var run : runs) {
                    app.append(run, 2, "round " + round);
                }
            }
            runs.forEach(app::stop);
            assertThat(crowd.waitFor(120, TimeUnit.SECONDS))
                    .as("the crowd sees every stream end")
                    .isTrue();
        } finally {
            crowd.destroyForcibly();
        }

        var printed = Files.readString(output);
        Files.delete(output);
        var summary = SUMMARY.matcher(printed);
        assertThat(summary.find()).as("the crowd's summary in %s", printed).isTrue();
        assertThat(summary.group(1)).as("streams opened").isEqualTo(Integer.toString(SUBSCRIBERS));
        assertThat(summary.group(2)).as("streams ended by the server").isEqualTo(Integer.toString(SUBSCRIBERS));
        assertThat(summary.group(3)).as("streams refused or broken").isEqualTo("0");
        assertThat(summary.group(4))
                .as("events missed, repeated or out of order")
                .isEqualTo("0");
        assertThat(summary.group(5)).as("timed out").isEqualTo("false");
        var lastIds = List.of(summary.group(6).split(","));
        for (int i = 0; i < RUNS; i++) {
            long last = app.eventSeq(runs.get(i));
            assertThat(lastIds.get(i))
                    .as("last event of every subscriber of run %d", i)
                    .isEqualTo(i + ":" + last + "-" + last);
        }
    }

    private double subscribersActive() {
        return context.getBean(MeterRegistry.class)
                .get("run.events.subscribers.active")
                .gauge()
                .value();
    }
}
