package io.runway.assign.event;

/**
 * An event received from the channel: its type, the server, request and status it names when it names one, and for
 * a link the dispatcher handed out, how long it had waited ({@code waited_ms}).
 */
public record InboundEvent(String type, String serverId, String status, String requestId, Long waitedMs) {}
