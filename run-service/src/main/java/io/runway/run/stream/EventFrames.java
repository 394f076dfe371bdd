package io.runway.run.stream;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A committed event on its way to subscribers, with the frames encoded for it so far. A live event is one instance for
 * all subscribers of its run on this instance, so each variant of its frame (one per face, and per state where a face
 * renders an event by the subscriber's state) is encoded once; a replayed event belongs to one subscriber.
 */
public final class EventFrames {

    private final StoredEvent event;
    private final boolean shared;
    private Object[] variants = new Object[2];
    private SseFrame[] frames = new SseFrame[2];
    private int size;

    EventFrames(StoredEvent event, boolean shared) {
        this.event = event;
        this.shared = shared;
    }

    public StoredEvent event() {
        return event;
    }

    /**
     * The frame of this event for {@code variant} (compared by identity): {@code id:} the event's sequence, {@code
     * event:} {@code name}, {@code data:} the JSON that {@code data} writes, which runs only for the first subscriber.
     */
    public synchronized SseFrame frame(Object variant, String name, Supplier<byte[]> data) {
        for (int i = 0; i < size; i++) {
            if (variants[i] == variant) {
                return frames[i];
            }
        }
        var frame = SseFrame.event(event.seq(), name, data.get(), shared);
        if (size == variants.length) {
            variants = Arrays.copyOf(variants, size * 2);
            frames = Arrays.copyOf(frames, size * 2);
        }
        variants[size] = variant;
        frames[size++] = frame;
        return frame;
    }
}
