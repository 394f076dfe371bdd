package io.runway.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU used so far by this JVM and by every PostgreSQL process on the machine (Linux {@code /proc}), for benchmarks. */
record CpuTime(double jvmMillis, double postgresMillis) {

    private static final double TICK_MILLIS = 10;

    static CpuTime now() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new CpuTime(os.getProcessCpuTime() / 1e6, postgres());
    }

    CpuTime minus(CpuTime earlier) {
        return new CpuTime(jvmMillis - earlier.jvmMillis, postgresMillis - earlier.postgresMillis);
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
