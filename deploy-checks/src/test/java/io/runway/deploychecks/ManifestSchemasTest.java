package io.runway.deploychecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each overlay's rendered manifests validate against the Kubernetes OpenAPI schemas (npm kubernetes-models, run by
 * deploy-checks/k8s-schema/validate.mjs; {@code npm ci} there once, which ./dev test does).
 */
class ManifestSchemasTest {

    private static final java.nio.file.Path SCHEMA = Tools.root().resolve("deploy-checks/k8s-schema");

    @BeforeAll
    static void tools() {
        Tools.require("kubectl", "kubectl");
        Tools.require("node", "nodejs");
        if (!Files.isDirectory(SCHEMA.resolve("node_modules/kubernetes-models"))) {
            var installed = Tools.run(SCHEMA, 300, "npm", "ci", "--no-audit", "--no-fund");
            assertThat(installed.exitCode())
                    .as("npm ci:\n%s", installed.output())
                    .isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayValidatesAgainstKubernetesSchemas(String overlay) {
        var result = Tools.run(
                Tools.root(),
                120,
                "bash",
                "-o",
                "pipefail",
                "-c",
                "kubectl kustomize deploy/k8s/overlays/" + overlay + " | node deploy-checks/k8s-schema/validate.mjs");
        assertThat(result.exitCode()).as("%s:\n%s", overlay, result.output()).isZero();
        assertThat(result.output()).contains(", 0 problems");
    }
}
