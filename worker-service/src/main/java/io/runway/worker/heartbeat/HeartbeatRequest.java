package io.runway.worker.heartbeat;

/**
 * Body of {@code POST /health}; every field is optional. Usages are percentages (seed 004), names and addresses short
 * printable text: one heartbeat that PostgreSQL would refuse must never reach the batched write.
 */
record HeartbeatRequest(
        String serverName,
        String ip,
        Double cpuUsage,
        Double ramUsage,
        Double diskUsage,
        Integer activeThreads,
        Integer activeTasks) {

    static final HeartbeatRequest EMPTY = new HeartbeatRequest(null, null, null, null, null, null, null);

    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_IP_LENGTH = 64;
    static final int MAX_COUNT = 1_000_000;

    /** What is wrong with this report, or {@code null} when PostgreSQL will take every field of it. */
    String problem() {
        return firstOf(
                textProblem("server_name", serverName, MAX_NAME_LENGTH),
                textProblem("ip", ip, MAX_IP_LENGTH),
                usageProblem("cpu_usage", cpuUsage),
                usageProblem("ram_usage", ramUsage),
                usageProblem("disk_usage", diskUsage),
                countProblem("active_threads", activeThreads),
                countProblem("active_tasks", activeTasks));
    }

    private static String firstOf(String... problems) {
        for (var problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String usageProblem(String field, Double percent) {
        return percent == null || (percent >= 0 && percent <= 100)
                ? null
                : field + " must be a percentage between 0 and 100";
    }

    private static String countProblem(String field, Integer count) {
        return count == null || (count >= 0 && count <= MAX_COUNT)
                ? null
                : field + " must be between 0 and " + MAX_COUNT;
    }

    private static String textProblem(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            return field + " must be at most " + maxLength + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return field + " must not contain control characters";
            }
        }
        return null;
    }
}
