package io.runway.assign.server;

import java.util.UUID;

/** A server to register, validated. */
record NewServer(
        UUID id,
        String name,
        String ip,
        String service,
        String[] serviceTypes,
        String status,
        int maxThreads,
        int priority) {}
