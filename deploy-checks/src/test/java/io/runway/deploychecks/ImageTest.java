package io.runway.deploychecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image of one service (gateway), built the way docs/operations.md says (profile {@code image}, Jib
 * {@code buildTar}, no Docker daemon), read back from its tarball: a Docker archive whose config runs as a non-root
 * user, starts the JVM with the memory flags and exposes the service's ports.
 *
 * <p>The base image: {@code -Dimage.check.base=<Jib base reference>} (a registry image, or {@code tar:///abs.tar}),
 * else the local base that {@code deploy/image/local-base.sh} caches in {@code .dev/image/}. Making that base takes
 * minutes (debootstrap, root, Debian's mirror), so this check makes it only with {@code -Dimage.check.build-base=true}
 * (or {@code ./dev image} first) and is skipped, saying so, when there is no base.
 */
class ImageTest {

    private static final Path ROOT = Tools.root();
    private static final Path LOCAL_BASE = ROOT.resolve(".dev/image/debian-bookworm-jre17.tar");
    private static final Path IMAGE = ROOT.resolve("deploy-checks/target/image/gateway.tar");
    private static final Path UNPACKED = ROOT.resolve("deploy-checks/target/image/gateway");

    private static Map<String, Object> manifest;
    private static Map<String, Object> config;

    @BeforeAll
    static void buildImage() {
        var base = base();
        Tools.run(ROOT, 60, "rm", "-rf", IMAGE.toString(), UNPACKED.toString());
        var build = Tools.run(
                ROOT,
                600,
                ROOT.resolve("mvnw").toString(),
                "-B",
                "-q",
                "-Pimage",
                "-DskipTests",
                "-Dspotless.check.skip=true",
                "-Dimage.base=" + base,
                "-Djib.outputPaths.tar=" + IMAGE,
                "-Djib.console=plain",
                "-pl",
                "common,gateway",
                "package");
        assertThat(build.exitCode())
                .as("./mvnw -Pimage -pl common,gateway package:\n%s", build.output())
                .isZero();
        assertThat(IMAGE).as("Jib's image tarball").isRegularFile();
        Tools.run(ROOT, 60, "mkdir", "-p", UNPACKED.toString());
        var unpack = Tools.run(ROOT, 120, "tar", "-xf", IMAGE.toString(), "-C", UNPACKED.toString());
        assertThat(unpack.exitCode()).as(unpack.output()).isZero();
        List<Map<String, Object>> manifests = Yaml.load(UNPACKED.resolve("manifest.json"));
        assertThat(manifests).hasSize(1);
        manifest = manifests.get(0);
        config = Yaml.load(UNPACKED.resolve((String) manifest.get("Config")));
    }

    private static String base() {
        var configured = System.getProperty("image.check.base", "");
        if (!configured.isBlank()) {
            return configured;
        }
        if (!Files.isRegularFile(LOCAL_BASE) && Boolean.getBoolean("image.check.build-base")) {
            var made = Tools.run(
                    ROOT, 1200, ROOT.resolve("deploy/image/local-base.sh").toString(), LOCAL_BASE.toString());
            assertThat(made.exitCode())
                    .as("deploy/image/local-base.sh:\n%s", made.output())
                    .isZero();
        }
        Assumptions.assumeTrue(
                Files.isRegularFile(LOCAL_BASE),
                "no base image for the image check: " + LOCAL_BASE + " is missing. Make it with ./dev image (or"
                        + " deploy/image/local-base.sh; root and Debian's mirror, a few minutes), or pass"
                        + " -Dimage.check.build-base=true, or -Dimage.check.base=<registry image or tar:///abs.tar>");
        return "tar://" + LOCAL_BASE.toAbsolutePath();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> containerConfig() {
        return (Map<String, Object>) config.get("config");
    }

    @Test
    void runsAsTheNonRootUser() {
        var user = (String) containerConfig().get("User");
        assertThat(user).as("image user").isEqualTo("10001:10001");
    }

    @Test
    void startsTheJvmSizedFromTheContainersMemory() {
        List<String> entrypoint = Yaml.list(containerConfig().get("Entrypoint"));
        assertThat(entrypoint).as("entrypoint").first().isEqualTo("java");
        assertThat(entrypoint)
                .as("entrypoint")
                .contains("-XX:MaxRAMPercentage=75", "-XX:InitialRAMPercentage=25", "-XX:+ExitOnOutOfMemoryError")
                .contains("-cp", "@/app/jib-classpath-file")
                .last()
                .isEqualTo("io.runway.gateway.GatewayApplication");
        assertThat(entrypoint.stream().filter(arg -> arg.startsWith("-Xmx") || arg.startsWith("-Xms")))
                .as("no fixed heap: it follows the container's limit")
                .isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void exposesTheApiAndManagementPorts() {
        Map<String, Object> ports = (Map<String, Object>) containerConfig().get("ExposedPorts");
        assertThat(ports).containsKeys("8080/tcp", "9080/tcp");
    }

    @Test
    @SuppressWarnings("unchecked")
    void layersTheClasspathOverTheBase() {
        List<String> layers = Yaml.list(manifest.get("Layers"));
        Map<String, Object> rootfs = (Map<String, Object>) config.get("rootfs");
        List<String> diffIds = Yaml.list(rootfs.get("diff_ids"));
        assertThat(diffIds).as("one diff id per layer").hasSameSizeAs(layers);
        var jibLayers = new ArrayList<String>();
        for (Object entry : Yaml.list(config.get("history"))) {
            var step = (Map<String, Object>) entry;
            if (String.valueOf(step.get("created_by")).startsWith("jib-maven-plugin")) {
                jibLayers.add(String.valueOf(step.get("comment")));
            }
        }
        // the base's layers, then Jib's: libraries, snapshot libraries (if any), project modules (common), resources,
        // classes, the classpath file; a change to the code rebuilds only the small layers at the top
        assertThat(jibLayers)
                .as("the application's layers")
                .containsSubsequence("dependencies", "project dependencies", "resources", "classes", "jvm arg files");
        assertThat(layers.size()).as("layers: the base's and the application's").isGreaterThan(jibLayers.size());
        for (var layer : layers) {
            assertThat(UNPACKED.resolve(layer)).as("layer in the archive").isRegularFile();
        }
    }
}
