package io.runway.deploychecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/observability/prometheus/alerts.yml is valid, unit-tested alert by alert, and each alert has a runbook. */
class PrometheusRulesTest {

    private static final Path ROOT = Tools.root();
    private static final Path PROMETHEUS = ROOT.resolve("deploy/observability/prometheus");

    @BeforeAll
    static void promtool() {
        Tools.require("promtool", "prometheus");
    }

    @Test
    void rulesPassPromtoolCheck() {
        var result = Tools.run(PROMETHEUS, 60, "promtool", "check", "rules", "alerts.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void rulesPassTheirUnitTests() {
        var result = Tools.run(PROMETHEUS, 120, "promtool", "test", "rules", "alerts.test.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void everyAlertHasAUnitTestAndARunbook() throws Exception {
        var tested = new HashSet<String>();
        Map<String, Object> tests = Yaml.load(PROMETHEUS.resolve("alerts.test.yml"));
        for (var test : Yaml.<Map<String, Object>>list(tests.get("tests"))) {
            for (var check : Yaml.<Map<String, Object>>list(test.get("alert_rule_test"))) {
                if (check.get("exp_alerts") != null
                        && !Yaml.list(check.get("exp_alerts")).isEmpty()) {
                    tested.add((String) check.get("alertname"));
                }
            }
        }
        var runbooks = java.nio.file.Files.readString(ROOT.resolve("docs/operations.md"));
        List<Map<String, Object>> rules = Rules.alertingRules(PROMETHEUS.resolve("alerts.yml"));
        assertThat(rules).isNotEmpty();
        for (var rule : rules) {
            var name = (String) rule.get("alert");
            assertThat(tested)
                    .as("a promtool unit test in which %s fires", name)
                    .contains(name);
            assertThat(runbooks)
                    .as("a runbook heading for %s in docs/operations.md", name)
                    .contains("### " + name + "\n");
            @SuppressWarnings("unchecked")
            var annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(annotations.get("runbook_url"))
                    .as("runbook_url of %s", name)
                    .isEqualTo("docs/operations.md#" + name.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
