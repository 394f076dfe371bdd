package io.runway.deploychecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards import into a current Grafana: a schema version it migrates, a datasource variable, every
 * panel and query on that variable (no hard-coded datasource uid), unique panel ids, at least one query per panel.
 */
class DashboardsTest {

    private static final Path DASHBOARDS = Tools.root().resolve("deploy/observability/grafana/dashboards");

    @Test
    void dashboardsAreImportable() throws Exception {
        List<Path> files;
        try (var list = Files.list(DASHBOARDS)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        var uids = new ArrayList<String>();
        for (var file : files) {
            Map<String, Object> dashboard = Yaml.load(file);
            var name = file.getFileName().toString();
            assertThat(dashboard.get("schemaVersion")).as(name).isInstanceOf(Integer.class);
            assertThat((Integer) dashboard.get("schemaVersion")).as(name).isBetween(36, 41);
            assertThat(dashboard.get("id"))
                    .as("%s: no numeric id (Grafana assigns it)", name)
                    .isNull();
            uids.add((String) dashboard.get("uid"));
            @SuppressWarnings("unchecked")
            var templating = (Map<String, Object>) dashboard.get("templating");
            var variables = Yaml.<Map<String, Object>>list(templating.get("list"));
            assertThat(variables)
                    .as("%s: a datasource variable", name)
                    .anyMatch(v -> "datasource".equals(v.get("type"))
                            && "prometheus".equals(v.get("query"))
                            && "datasource".equals(v.get("name")));
            var panels = Yaml.<Map<String, Object>>list(dashboard.get("panels"));
            assertThat(panels).as(name).isNotEmpty();
            assertThat(panels.stream().map(p -> p.get("id")).distinct().count())
                    .as("%s: unique panel ids", name)
                    .isEqualTo(panels.size());
            for (var panel : panels) {
                assertThat(Yaml.list(panel.get("targets")))
                        .as("%s / %s", name, panel.get("title"))
                        .isNotEmpty();
            }
            var datasources = new ArrayList<Object>();
            collectDatasources(dashboard, datasources);
            assertThat(datasources)
                    .as("%s: every datasource reference is the ${datasource} variable", name)
                    .isNotEmpty()
                    .allSatisfy(ds -> assertThat(ds).isEqualTo(Map.of("type", "prometheus", "uid", "${datasource}")));
        }
        assertThat(uids).as("dashboard uids").doesNotHaveDuplicates().doesNotContainNull();
    }

    private static void collectDatasources(Object node, List<Object> into) {
        if (node instanceof Map<?, ?> map) {
            if (map.containsKey("datasource") && !"datasource".equals(map.get("type"))) {
                into.add(map.get("datasource"));
            }
            map.values().forEach(value -> collectDatasources(value, into));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectDatasources(item, into));
        }
    }
}
