package io.runway.assign.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/** A server as the Assign API shows it: its row plus what its last heartbeat reported. */
record ServerView(
        UUID id,
        String name,
        String ip,
        String service,
        String status,
        int activeThreads,
        int activeTasks,
        int maxThreads,
        int priority,
        Instant lastHealthCheck,
        Instant lastActive,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer availSlots) {}
