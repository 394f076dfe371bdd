package io.runway.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether the kernel's DAMON monitor (kdamond) runs on this machine, for benchmark output: on the project's VMs it
 * samples physical memory every 500 ms for proactive reclaim, and each pass stalls a busy JVM for tens of
 * milliseconds, which shows in every latency tail (docs/benchmarks.md, "kdamond").
 */
final class DamonState {

    private static final Path KDAMONDS = Path.of("/sys/kernel/mm/damon/admin/kdamonds");

    private DamonState() {}

    /** One line for the benchmark's output. */
    static String describe() {
        if (!Files.isDirectory(KDAMONDS)) {
            return "no DAMON on this kernel";
        }
        try (Stream<Path> kdamonds = Files.list(KDAMONDS)) {
            var states = kdamonds.filter(Files::isDirectory)
                    .map(DamonState::describe)
                    .toList();
            return states.isEmpty() ? "no kdamond configured" : String.join("; ", states);
        } catch (IOException e) {
            return "DAMON state unreadable: " + e.getMessage();
        }
    }

    private static String describe(Path kdamond) {
        var intervals = kdamond.resolve("contexts/0/monitoring_attrs/intervals/sample_us");
        return "kdamond " + kdamond.getFileName() + " " + read(kdamond.resolve("state")) + ", sampling every "
                + read(intervals) + " µs";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
