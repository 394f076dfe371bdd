package io.runway.assign.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CompletionRatesTests {

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    final CompletionRates rates = new CompletionRates(clock, Duration.ofSeconds(30));

    @Test
    void scalesTheWindowsCompletionsToAMinuteAndDropsRequestsThatWentQuiet() {
        var busy = UUID.randomUUID();
        var quiet = UUID.randomUUID();
        rates.completed(quiet);
        clock.advance(Duration.ofSeconds(20));
        for (int i = 0; i < 3; i++) {
            rates.completed(busy);
        }
        clock.advance(Duration.ofSeconds(15));

        assertThat(rates.perMinute()).containsExactlyEntriesOf(Map.of(busy, 6.0));
    }
}
