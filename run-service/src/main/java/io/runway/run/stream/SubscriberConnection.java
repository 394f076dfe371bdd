package io.runway.run.stream;

import java.util.concurrent.ScheduledExecutorService;

/**
 * One subscriber's response as its stream writes it: frames are written and flushed only on {@link #loop()}, the
 * thread that owns the connection, so that the stream needs no lock and no operator chain per event.
 */
public interface SubscriberConnection {

    /** The one thread that writes this connection; every call below is made on it. */
    ScheduledExecutorService loop();

    /** Whether the connection takes more now; when not, the stream holds events back (and cuts off beyond its buffer). */
    boolean writable();

    /** Queues a frame, without flushing it. */
    void write(SseFrame frame);

    /** Sends what was written since the last flush. */
    void flush();
}
