package io.runway.deploychecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The project root and running a command line with a deadline. */
final class Tools {

    private Tools() {}

    record Result(int exitCode, String output) {}

    static Path root() {
        var configured = System.getProperty("runway.root");
        var dir = (configured != null ? Path.of(configured) : Path.of(""))
                .toAbsolutePath()
                .normalize();
        for (var candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("deploy/observability"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the project root (with deploy/observability) from " + dir);
    }

    /** Fails with an install hint when {@code tool} is not on the PATH. */
    static void require(String tool, String debianPackage) {
        var found = System.getenv("PATH") != null
                && List.of(System.getenv("PATH").split(":")).stream()
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        if (!found) {
            throw new IllegalStateException(
                    tool + " is not installed: ./dev test installs it (Debian: apt-get install " + debianPackage + ")");
        }
    }

    static Result run(Path dir, long timeoutSeconds, String... command) {
        try {
            var out = Files.createTempFile("deploy-checks", ".out");
            try {
                var process = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
                process.getOutputStream().close();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds
                            + " s:\n" + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
