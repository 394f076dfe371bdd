package io.runway.run.face;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * One flush of an HTTP/2 connection for every stream written on it in a pass of its event loop. A stream's own flush
 * flushes its connection, one socket write for each stream: a lane writing an event to the thousand streams a gateway
 * replica multiplexes over one connection made a thousand writes of one DATA frame each. Streams ask for the flush
 * instead; it runs once, after the task that wrote them, on the connection's event loop.
 */
final class ConnectionFlush implements Runnable {

    private static final AttributeKey<ConnectionFlush> KEY = AttributeKey.valueOf(ConnectionFlush.class.getName());

    private final Channel connection;
    private boolean requested;

    private ConnectionFlush(Channel connection) {
        this.connection = connection;
    }

    /** The connection's flush, shared by all its streams. */
    static ConnectionFlush of(Channel connection) {
        var attribute = connection.attr(KEY);
        var flush = attribute.get();
        if (flush == null) {
            var created = new ConnectionFlush(connection);
            flush = attribute.setIfAbsent(created);
            if (flush == null) {
                flush = created;
            }
        }
        return flush;
    }

    /** Flushes the connection once what the event loop is running now is done; called on that event loop. */
    void request() {
        if (!requested) {
            requested = true;
            connection.eventLoop().execute(this);
        }
    }

    @Override
    public void run() {
        requested = false;
        connection.flush();
    }
}
