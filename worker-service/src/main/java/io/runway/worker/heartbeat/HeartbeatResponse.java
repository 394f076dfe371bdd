package io.runway.worker.heartbeat;

import java.time.Instant;
import java.util.UUID;

/** The {@code data} of a heartbeat answer. */
record HeartbeatResponse(String status, UUID serverId, String serverName, Instant serverTime) {}
