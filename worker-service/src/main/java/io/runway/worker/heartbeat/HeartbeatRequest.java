package io.runway.worker.heartbeat;

/** Body of {@code POST /health}; every field is optional. */
record HeartbeatRequest(
        String serverName,
        String ip,
        Double cpuUsage,
        Double ramUsage,
        Double diskUsage,
        Integer activeThreads,
        Integer activeTasks) {

    static final HeartbeatRequest EMPTY = new HeartbeatRequest(null, null, null, null, null, null, null);
}
