package io.runway.assign.event;

/** The one pub/sub channel of LIKEPION events, scoped by the Redis key prefix. */
public final class EventChannel {

    private EventChannel() {}

    public static String name(String prefix) {
        return (prefix == null ? "" : prefix) + "likepion:events";
    }
}
