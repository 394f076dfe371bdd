package io.runway.assign.event;

/** An event received from the channel: its type, and the server and status it names when it names one. */
public record InboundEvent(String type, String serverId, String status) {}
