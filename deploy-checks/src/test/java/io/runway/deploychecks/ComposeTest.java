package io.runway.deploychecks;

import static io.runway.deploychecks.ManifestsTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose.yaml parses (no Docker engine or compose plugin here), names the whole stack, mounts only files
 * that exist, and its Prometheus scrapes every service's management port, which listens on the container address.
 */
class ComposeTest {

    private static final java.nio.file.Path DEPLOY = Tools.root().resolve("deploy");
    private static final Map<String, String> MANAGEMENT =
            Map.of("gateway", "9080", "run-service", "9081", "worker-service", "9082", "assign-service", "9083");

    @Test
    @SuppressWarnings("unchecked")
    void composeDescribesTheWholeStack() throws Exception {
        Map<String, Object> compose = Yaml.load(DEPLOY.resolve("compose.yaml"));
        var services = (Map<String, Object>) compose.get("services");
        assertThat(services)
                .containsOnlyKeys(
                        "postgres",
                        "redis",
                        "gateway",
                        "run-service",
                        "worker-service",
                        "assign-service",
                        "prometheus",
                        "grafana");
        for (var entry : services.entrySet()) {
            var service = (Map<String, Object>) entry.getValue();
            assertThat(service.get("image")).as(entry.getKey()).isNotNull();
            for (var volume : Yaml.<String>list(service.get("volumes"))) {
                var source = volume.split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(DEPLOY.resolve(source))
                            .as("%s mounts %s", entry.getKey(), source)
                            .exists();
                }
            }
        }
        var prometheusConfig = Files.readString(DEPLOY.resolve("observability/prometheus/prometheus.compose.yml"));
        for (var entry : MANAGEMENT.entrySet()) {
            var service = (Map<String, Object>) services.get(entry.getKey());
            var environment = (Map<String, Object>) service.get("environment");
            assertThat(environment).as(entry.getKey()).containsEntry("MANAGEMENT_ADDRESS", "0.0.0.0");
            assertThat(environment).as(entry.getKey()).containsKeys("INTERNAL_TOKEN_SECRET", "PG_HOST", "REDIS_HOST");
            assertThat(at(service, "build", "args", "SERVICE"))
                    .as(entry.getKey())
                    .isEqualTo(entry.getKey());
            assertThat(prometheusConfig).contains(entry.getKey() + ":" + entry.getValue());
        }
        assertThat(Yaml.<String>list(at(services, "gateway", "ports"))).anyMatch(p -> p.endsWith(":8080"));
        assertThat(prometheusConfig).contains("/etc/prometheus/alerts.yml");
        assertThat(Yaml.<String>list(at(services, "grafana", "volumes")))
                .anyMatch(v -> v.startsWith("./observability/grafana/dashboards:"));
        assertThat(List.of("assign-service", "gateway"))
                .allSatisfy(name -> assertThat(at(services, name, "depends_on", "worker-service", "condition"))
                        .isEqualTo("service_healthy"));
    }
}
