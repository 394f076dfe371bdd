package io.runway.common.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

class PeriodicWorkTests {

    private VirtualTimeScheduler time;

    @BeforeEach
    void virtualTime() {
        time = VirtualTimeScheduler.getOrSet();
    }

    @AfterEach
    void realTime() {
        VirtualTimeScheduler.reset();
    }

    @Test
    void runsAfterTheFirstDelayThenEveryPeriodAndAFailureDoesNotStopTheLoop() {
        var runs = new AtomicInteger();
        var loop = PeriodicWork.every(Duration.ofSeconds(1), Duration.ofSeconds(10), "test work", () -> {
            runs.incrementAndGet();
            return runs.get() == 2 ? Mono.error(new IllegalStateException("boom")) : Mono.empty();
        });

        time.advanceTimeBy(Duration.ofMillis(999));
        assertThat(runs).hasValue(0);
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(runs).hasValue(2);
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(runs).hasValue(3);

        loop.dispose();
        time.advanceTimeBy(Duration.ofSeconds(60));
        assertThat(runs).hasValue(3);
    }

    @Test
    void aTickThatComesWhileARunStillGoesIsDropped() {
        var runs = new AtomicInteger();
        var slow = Sinks.<Void>empty();
        var loop = PeriodicWork.every(Duration.ZERO, Duration.ofSeconds(1), "slow work", () -> {
            runs.incrementAndGet();
            return runs.get() == 1 ? slow.asMono() : Mono.empty();
        });

        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(runs).hasValue(1);
        slow.tryEmitEmpty();
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(runs).hasValue(2);
        loop.dispose();
    }
}
