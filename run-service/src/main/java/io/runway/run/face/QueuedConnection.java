package io.runway.run.face;

import io.runway.run.stream.SseFrame;
import io.runway.run.stream.SubscriberConnection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Any other server than Reactor Netty: frames queue for the response's write stream. It takes more while
 * fewer than {@value #WRITABLE_BELOW} frames wait.
 */
final class QueuedConnection implements SubscriberConnection {

    private static final int WRITABLE_BELOW = 64;
    private static final ScheduledExecutorService ANY_SERVER = Executors.newSingleThreadScheduledExecutor(task -> {
        var thread = new Thread(task, "run-events-queued");
        thread.setDaemon(true);
        return thread;
    });

    private final Sinks.Many<SseFrame> frames = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicInteger queued = new AtomicInteger();
    private final ScheduledExecutorService loop;

    /** {@code loop}: the thread that writes the connection, or null for a thread of its own. */
    QueuedConnection(ScheduledExecutorService loop) {
        this.loop = loop != null ? loop : ANY_SERVER;
    }

    Flux<DataBuffer> buffers(DataBufferFactory factory) {
        return frames.asFlux().map(frame -> {
            queued.decrementAndGet();
            return frame.buffer(factory);
        });
    }

    /** Ends the write stream once what was written is sent. */
    void complete() {
        loop.execute(frames::tryEmitComplete);
    }

    @Override
    public ScheduledExecutorService loop() {
        return loop;
    }

    @Override
    public boolean writable() {
        return queued.get() < WRITABLE_BELOW;
    }

    @Override
    public void write(SseFrame frame) {
        queued.incrementAndGet();
        frames.tryEmitNext(frame);
    }

    @Override
    public void flush() {}
}
