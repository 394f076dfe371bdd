package io.runway.gateway.warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time the JVM's JIT compiler threads have used, read from Linux's {@code /proc/self/task}. CPU time rather
 * than {@code CompilationMXBean}'s compilation time, which counts a compile's elapsed time: on a busy core a compile
 * waits for the CPU most of that time, and the compiler looks busy long after it has little left to do.
 */
final class CompilerCpu {

    // USER_HZ, which the kernel reports thread times in; 100 on every Linux architecture the JDK runs on
    private static final long MILLIS_PER_TICK = 10;

    private final Path tasks;
    // per thread id, its last reading: compiler threads come and go, and a thread gone must not lower the total
    private final Map<String, Long> lastTicks = new HashMap<>();
    private long totalTicks;

    CompilerCpu(Path tasks) {
        this.tasks = tasks;
    }

    /** Null when this is not Linux, or the JVM's compiler threads are not found there. */
    static CompilerCpu ofThisProcess() {
        var cpu = new CompilerCpu(Path.of("/proc/self/task"));
        try {
            cpu.millis();
        } catch (UncheckedIOException | IllegalStateException e) {
            return null;
        }
        return cpu.lastTicks.isEmpty() ? null : cpu;
    }

    /** Milliseconds of CPU the compiler threads have used since the first reading; never decreases. */
    long millis() {
        try (var threads = Files.newDirectoryStream(tasks)) {
            for (var thread : threads) {
                var name = read(thread.resolve("comm"));
                if (name == null || !(name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"))) {
                    continue;
                }
                var stat = read(thread.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                long ticks = ticks(stat);
                var id = thread.getFileName().toString();
                Long before = lastTicks.put(id, ticks);
                totalTicks += Math.max(0, ticks - (before == null ? 0 : before));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return totalTicks * MILLIS_PER_TICK;
    }

    /** utime + stime: the 14th and 15th fields, counted after the parenthesised name, which may hold spaces. */
    static long ticks(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalStateException("not a /proc stat line");
        }
        var fields = stat.substring(end + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            // the thread ended between listing and reading
            return null;
        }
    }
}
