package io.runway.run.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * The latest events of one run seen on this instance, delivered live or read from PostgreSQL, as one unbroken stretch
 * of sequence numbers. A subscriber whose replay it covers is served from here instead of PostgreSQL, with frames
 * already encoded; a burst of subscribers to one run then costs one query, not one each.
 */
final class RecentEvents {

    private final EventFrames[] ring;
    private long first = 1;
    private long last;

    RecentEvents(int capacity) {
        this.ring = new EventFrames[capacity];
    }

    /**
     * Adds events in sequence order. An event right after the stretch extends it (forgetting the oldest beyond the
     * capacity); one further ahead starts a new stretch; one already held or older is ignored.
     */
    synchronized void add(List<EventFrames> events) {
        for (var frames : events) {
            long seq = frames.event().seq();
            if (last >= first && seq <= last) {
                continue;
            }
            if (last < first || seq != last + 1) {
                first = seq;
            }
            ring[slot(seq)] = frames;
            last = seq;
            first = Math.max(first, last - ring.length + 1);
        }
    }

    /**
     * Records that PostgreSQL held no event after {@code seq}: the stretch becomes the empty one that ends there, so
     * that the next subscriber who has seen {@code seq} is answered from here. Ignored when the stretch already reaches
     * {@code seq} (an event after it may have been added meanwhile).
     */
    synchronized void nothingAfter(long seq) {
        if (last < seq) {
            first = seq + 1;
            last = seq;
        }
    }

    /**
     * Every held event after {@code after}, when the stretch holds all of them from {@code after + 1} and reaches at
     * least {@code atLeast}; null when PostgreSQL must be read instead.
     */
    synchronized List<EventFrames> after(long after, long atLeast) {
        if (last < atLeast || first > after + 1) {
            return null;
        }
        var events = new ArrayList<EventFrames>((int) Math.max(0, last - after));
        for (long seq = after + 1; seq <= last; seq++) {
            events.add(ring[slot(seq)]);
        }
        return events;
    }

    private int slot(long seq) {
        return (int) Math.floorMod(seq, (long) ring.length);
    }
}
