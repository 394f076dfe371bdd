package io.runway.assign.feed;

import java.time.Instant;
import java.util.UUID;

/** A server as the fleet view shows it: slots used ({@code activeTasks}) of {@code maxThreads}, its last report. */
record ServerRow(
        UUID id,
        String name,
        String service,
        String status,
        int maxThreads,
        int activeTasks,
        Integer activeThreads,
        Float cpuUsage,
        Float ramUsage,
        Float diskUsage,
        Instant lastHealthCheck) {}
