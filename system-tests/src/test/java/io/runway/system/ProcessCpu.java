package io.runway.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** CPU used so far by named processes (Linux {@code /proc}, user + system), for benchmarks. */
final class ProcessCpu {

    private static final double TICK_MILLIS = 10;

    private ProcessCpu() {}

    /**
     * Milliseconds of CPU so far of each named process ({@code 0} for this JVM) and, under {@code PostgreSQL}, of
     * every postgres process on the machine.
     */
    static Map<String, Double> now(Map<String, Long> pids) {
        var millis = new LinkedHashMap<String, Double>();
        pids.forEach((name, pid) -> millis.put(name, ticks(Path.of("/proc", pid == 0 ? "self" : pid.toString()))));
        millis.put("PostgreSQL", postgres());
        return millis;
    }

    /** What each process used between two readings. */
    static Map<String, Double> since(Map<String, Double> earlier, Map<String, Double> later) {
        var used = new LinkedHashMap<String, Double>();
        later.forEach((name, millis) -> used.put(name, millis - earlier.getOrDefault(name, 0.0)));
        return used;
    }

    private static double postgres() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes
                    .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(ProcessCpu::isPostgres)
                    .mapToDouble(ProcessCpu::ticksWithReapedChildren)
                    .sum();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static boolean isPostgres(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip().equals("postgres");
        } catch (IOException e) {
            return false;
        }
    }

    /** A process's CPU and that of its children that ended (the postmaster's: backends of closed connections). */
    private static double ticksWithReapedChildren(Path process) {
        return ticks(process, 4);
    }

    private static double ticks(Path process) {
        return ticks(process, 2);
    }

    /** The sum of the first {@code fields} of utime, stime, cutime, cstime, in milliseconds. */
    private static double ticks(Path process, int fields) {
        try {
            var stat = Files.readString(process.resolve("stat"));
            var values = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = 0;
            for (int i = 11; i < 11 + fields; i++) {
                ticks += Long.parseLong(values[i]);
            }
            return ticks * TICK_MILLIS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
