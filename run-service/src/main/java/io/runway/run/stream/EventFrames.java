package io.runway.run.stream;

import java.util.function.Supplier;

/**
 * A committed event on its way to subscribers, with the frames encoded for it so far. A live event is one instance for
 * all subscribers of its run on this instance, so each variant of its frame (one per face, and per state where a face
 * renders an event by the subscriber's state) is encoded once; a replayed event belongs to one subscriber.
 */
public final class EventFrames {

    private final StoredEvent event;
    private final boolean shared;
    /** Added to under this object's lock, read without it: every subscriber but the first finds its frame here. */
    private volatile Variant variants;

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
    public SseFrame frame(Object variant, String name, Supplier<byte[]> data) {
        var known = find(variant);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            known = find(variant);
            if (known == null) {
                known = SseFrame.event(event.seq(), name, data.get(), shared);
                variants = new Variant(variant, known, variants);
            }
            return known;
        }
    }

    private SseFrame find(Object variant) {
        for (var v = variants; v != null; v = v.next) {
            if (v.key == variant) {
                return v.frame;
            }
        }
        return null;
    }

    private record Variant(Object key, SseFrame frame, Variant next) {}
}
