package io.runway.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** CPU used so far by this JVM and by every PostgreSQL process on the machine (Linux {@code /proc}), for benchmarks. */
record CpuTime(double jvmMillis, double postgresMillis, Map<String, Double> threadMillis) {

    private static final double TICK_MILLIS = 10;

    static CpuTime now() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new CpuTime(os.getProcessCpuTime() / 1e6, postgres(), threads());
    }

    CpuTime minus(CpuTime earlier) {
        var threads = new TreeMap<String, Double>();
        threadMillis.forEach(
                (name, millis) -> threads.put(name, millis - earlier.threadMillis.getOrDefault(name, 0.0)));
        return new CpuTime(jvmMillis - earlier.jvmMillis, postgresMillis - earlier.postgresMillis, threads);
    }

    /** This JVM's CPU by kind of thread (digits in thread names folded), JIT compiler and GC threads included. */
    private static Map<String, Double> threads() {
        var byKind = new TreeMap<String, Double>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    var stat = Files.readString(task.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    var kind = stat.substring(stat.indexOf('(') + 1, close).replaceAll("\\d+", "N");
                    var fields = stat.substring(close + 2).split(" ");
                    double millis = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_MILLIS;
                    byKind.merge(kind, millis, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return byKind;
        }
        return byKind;
    }

    private static double postgres() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes
                            .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                            .mapToDouble(CpuTime::postgresTicks)
                            .sum()
                    * TICK_MILLIS;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static double postgresTicks(Path process) {
        try {
            var stat = Files.readString(process.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (!stat.substring(stat.indexOf('(') + 1, close).startsWith("postgres")) {
                return 0;
            }
            var fields = stat.substring(close + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
