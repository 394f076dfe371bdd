package io.runway.common.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventLoopLagTests {

    @Test
    void aProbeMeasuresEveryLoopAndSeesABlockedOne() {
        var registry = new SimpleMeterRegistry();
        var loops = new DefaultEventLoopGroup(2);
        try {
            var now = new AtomicLong();
            var lag = new EventLoopLag(loops, Duration.ofMinutes(1), registry, now::get);
            var blocked = new CountDownLatch(1);
            var blocker = loops.next();
            blocker.execute(() -> {
                try {
                    blocked.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            lag.probe();
            loops.forEach(loop -> {
                if (loop != blocker) {
                    loop.submit(() -> {}).syncUninterruptibly();
                }
            });
            now.set(TimeUnit.MILLISECONDS.toNanos(100)); // the blocked loop runs its probe only after this
            blocked.countDown();
            loops.forEach(loop -> loop.submit(() -> {}).syncUninterruptibly());

            var timer = registry.get("netty.eventloop.lag").timer();
            assertThat(timer.count()).isEqualTo(2);
            assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(100);
            assertThat(timer.totalTime(TimeUnit.MILLISECONDS))
                    .as("the free loop ran its probe at once")
                    .isEqualTo(100);
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void loopsThatDoNotExistYetAreProbedOnceTheyDo() {
        var registry = new SimpleMeterRegistry();
        var loops = new DefaultEventLoopGroup(2);
        try {
            var created = new AtomicReference<EventLoopGroup>();
            var lag = new EventLoopLag(created::get, Duration.ofMinutes(1), registry, System::nanoTime);

            lag.probe();
            created.set(loops);
            lag.probe();
            loops.forEach(loop -> loop.submit(() -> {}).syncUninterruptibly());

            assertThat(registry.get("netty.eventloop.lag").timer().count()).isEqualTo(2);
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aProbeAfterTheLoopsStoppedMeasuresNothingAndDoesNotFail() {
        var registry = new SimpleMeterRegistry();
        var loops = new DefaultEventLoopGroup(2);
        var lag = new EventLoopLag(loops, Duration.ofMinutes(1), registry, System::nanoTime);
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();

        lag.probe();

        assertThat(registry.get("netty.eventloop.lag").timer().count()).isZero();
    }
}
