package io.runway.deploychecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each Kustomize overlay renders ({@code kubectl kustomize}) and every Deployment in it has startup, liveness and
 * readiness probes, CPU and memory requests and a memory limit, and runs as non-root without privilege escalation.
 */
class ManifestsTest {

    @BeforeAll
    static void kubectl() {
        Tools.require("kubectl", "kubectl");
    }

    static List<Map<String, Object>> render(String overlay) {
        var result = Tools.run(Tools.root(), 60, "kubectl", "kustomize", "deploy/k8s/overlays/" + overlay);
        assertThat(result.exitCode())
                .as("kubectl kustomize %s:\n%s", overlay, result.output())
                .isZero();
        var documents = new ArrayList<Map<String, Object>>();
        for (var document : new org.yaml.snakeyaml.Yaml().loadAll(result.output())) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                var map = (Map<String, Object>) document;
                documents.add(map);
            }
        }
        return documents;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDeploymentHasProbesResourcesAndANonRootSecurityContext(String overlay) {
        var documents = render(overlay);
        var deployments = documents.stream()
                .filter(d -> "Deployment".equals(d.get("kind")))
                .toList();
        assertThat(deployments).as(overlay).hasSize(4);
        for (var deployment : deployments) {
            assertThat(Policy.problems(deployment))
                    .as("%s: %s", overlay, name(deployment))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod"})
    void prodScalesSpreadsAndFencesTheServices(String overlay) {
        var documents = render(overlay);
        var kinds = documents.stream().map(d -> (String) d.get("kind")).toList();
        assertThat(kinds.stream().filter("HorizontalPodAutoscaler"::equals).count())
                .isEqualTo(4);
        assertThat(kinds.stream().filter("PodDisruptionBudget"::equals).count()).isEqualTo(4);
        assertThat(kinds).contains("NetworkPolicy");
        for (var deployment : documents.stream()
                .filter(d -> "Deployment".equals(d.get("kind")))
                .toList()) {
            assertThat(String.valueOf(at(deployment, "spec", "template", "spec", "topologySpreadConstraints")))
                    .as(name(deployment))
                    .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev"})
    void devRunsOneReplicaOfEach(String overlay) {
        for (var deployment : render(overlay).stream()
                .filter(d -> "Deployment".equals(d.get("kind")))
                .toList()) {
            assertThat(at(deployment, "spec", "replicas")).as(name(deployment)).isEqualTo(1);
        }
        assertThat(render(overlay)).noneMatch(d -> "HorizontalPodAutoscaler".equals(d.get("kind")));
    }

    static String name(Map<String, Object> document) {
        return String.valueOf(at(document, "metadata", "name"));
    }

    @SuppressWarnings("unchecked")
    static Object at(Object node, String... path) {
        for (var key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(key);
        }
        return node;
    }
}
