package io.runway.assign.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AssignmentWindowTests {

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    final AssignmentWindow window = new AssignmentWindow(clock, Duration.ofSeconds(10));

    @Test
    void countsTheLastSecondAndTakesThe99thPercentileOfTheWindow() {
        for (int i = 1; i <= 100; i++) {
            window.assigned((long) i);
        }
        clock.advance(Duration.ofMillis(1500));
        window.assigned(null);

        var reading = window.read();

        assertThat(reading.perSecond()).isEqualTo(1);
        assertThat(reading.p99Millis()).isEqualTo(99);
    }

    @Test
    void forgetsWhatLeftTheWindow() {
        window.assigned(5_000L);
        clock.advance(Duration.ofSeconds(11));

        assertThat(window.read()).isEqualTo(new AssignmentWindow.Reading(0, null));
    }
}
