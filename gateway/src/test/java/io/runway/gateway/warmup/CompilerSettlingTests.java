package io.runway.gateway.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CompilerSettlingTests {

    private final CompilerSettling settling = new CompilerSettling(Duration.ofSeconds(10), 0.05);

    @Test
    void aCompilerStillBusyHasNotSettled() {
        long compiling = 0;
        for (long second = 0; second <= 30; second++) {
            compiling += 300;
            assertThat(settling.settled(second * 1000, compiling))
                    .as("second %d", second)
                    .isFalse();
        }
    }

    @Test
    void settlesOnceAWholeWindowWasQuiet() {
        long compiling = 0;
        for (long second = 0; second <= 20; second++) {
            compiling += 400;
            settling.settled(second * 1000, compiling);
        }
        // from second 21 on the compiler works 30 ms a second: 3 % of the time
        int settledAt = -1;
        for (int second = 21; second <= 40 && settledAt < 0; second++) {
            compiling += 30;
            if (settling.settled(second * 1000L, compiling)) {
                settledAt = second;
            }
        }
        // the window still holds busy seconds until it has slid past second 20
        assertThat(settledAt).isEqualTo(30);
    }

    @Test
    void decidesOnlyOnceAWindowIsCovered() {
        for (long second = 0; second < 8; second++) {
            assertThat(settling.settled(second * 1000, 0)).isFalse();
        }
        assertThat(settling.settled(9_000, 0)).as("a window covered").isTrue();
    }
}
