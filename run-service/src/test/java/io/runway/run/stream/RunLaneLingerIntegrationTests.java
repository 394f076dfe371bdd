package io.runway.run.stream;

import static io.runway.run.stream.RunFixtures.TENANT_A;
import static io.runway.run.stream.RunFixtures.await;
import static io.runway.run.stream.RunFixtures.generic;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A lane's write linger ({@code app.run-events.write-linger}), made long here so that what it does can be seen: an event
 * after a quiet spell is written at once, and the events that follow it within the linger reach each subscriber
 * together, in one socket write, in order.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.run-events.write-linger=3s", "logging.level.root=WARN"})
@RealInfrastructure
@Import(ServerConnectionFlushes.class)
class RunLaneLingerIntegrationTests {

    @Autowired
    ApplicationContext context;

    @Test
    void eventsCloseBehindAWrittenOneReachTheSubscriberInOneWriteAfterIt() {
        var app = new RunFixtures(context);
        var runId = app.startRun(RunFixtures.WAIT_AN_HOUR, 3);
        long head = app.eventSeq(runId);
        var received = new CopyOnWriteArrayList<Long>();
        var stream = app.stream(generic(runId), TENANT_A, Long.toString(head))
                .filter(event -> event.id() != null)
                .subscribe(event -> received.add(Long.parseLong(event.id())));
        try {
            await(
                    () -> RunEventStreamIntegrationTests.gauge(context, "run.events.subscribers.active") >= 1,
                    "the stream open");
            long flushesBefore = ServerConnectionFlushes.total();

            long first = app.append(runId, 1, "after a quiet spell");
            await(() -> received.contains(first), "the first event, not held", Duration.ofMillis(1500));
            long last = first;
            for (int i = 0; i < 4; i++) {
                last = app.append(runId, 1, "close behind");
            }
            long expectedLast = last;
            await(() -> received.contains(expectedLast), "the events behind it");

            assertThat(received)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(head + 1, last).boxed().toList());
            // without the linger: a write per event, five
            assertThat(ServerConnectionFlushes.total() - flushesBefore).isEqualTo(2);
        } finally {
            stream.dispose();
        }
    }
}
