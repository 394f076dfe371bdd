package io.runway.gateway.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerCpuTests {

    @TempDir
    Path tasks;

    @Test
    void sumsTheCompilerThreadsCpuAndNeverGoesBack() throws Exception {
        thread("101", "C2 CompilerThre", 300, 20);
        thread("102", "C1 CompilerThre", 50, 5);
        thread("103", "reactor-http-ep", 9_000, 900);
        var cpu = new CompilerCpu(tasks);

        assertThat(cpu.millis()).isEqualTo((320 + 55) * 10);

        thread("101", "C2 CompilerThre", 350, 20);
        deleteThread("102");
        assertThat(cpu.millis()).as("a compiler thread gone keeps what it used").isEqualTo((370 + 55) * 10);
    }

    @Test
    void readsTimesAfterANameWithSpacesAndParentheses() {
        var stat = "4242 (C2 CompilerThre) S 1 1 1 0 -1 1077936192 10 0 0 0 123 45 0 0 20 0 1 0 100";
        assertThat(CompilerCpu.ticks(stat)).isEqualTo(168);
        var odd = "7 (a) b (c)) S 1 1 1 0 -1 1077936192 10 0 0 0 1 2 0 0 20 0 1 0 100";
        assertThat(CompilerCpu.ticks(odd)).isEqualTo(3);
    }

    @Test
    void thisJvmsCompilerThreadsAreFoundOnLinux() {
        if (!Files.isDirectory(Path.of("/proc/self/task"))) {
            return;
        }
        var cpu = CompilerCpu.ofThisProcess();
        assertThat(cpu).isNotNull();
        assertThat(cpu.millis()).isPositive();
    }

    private void thread(String id, String name, long utime, long stime) throws Exception {
        var dir = Files.createDirectories(tasks.resolve(id));
        Files.writeString(dir.resolve("comm"), name + "\n");
        Files.writeString(
                dir.resolve("stat"),
                id + " (" + name + ") S 1 1 1 0 -1 1077936192 10 0 0 0 " + utime + " " + stime + " 0 0 20 0 1 0 1\n");
    }

    private void deleteThread(String id) throws Exception {
        var dir = tasks.resolve(id);
        Files.delete(dir.resolve("comm"));
        Files.delete(dir.resolve("stat"));
        Files.delete(dir);
    }
}
