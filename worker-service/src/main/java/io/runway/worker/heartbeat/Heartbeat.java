package io.runway.worker.heartbeat;

import java.time.Instant;
import java.util.UUID;

/** One accepted heartbeat waiting to be written. */
record Heartbeat(UUID serverId, HeartbeatRequest report, Instant receivedAt) {}
