package io.runway.deploychecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged services, seeded with some traffic, scraped by a real Prometheus (Debian's package) with the alert
 * rules loaded (deploy/observability/live-stack.sh): every metric a rule or dashboard names is exported, every rule
 * expression evaluates, every dashboard query returns data. A renamed metric breaks the build, not the dashboard.
 */
class LiveMetricsTest {

    private static final Path ROOT = Tools.root();
    private static final Path OBSERVABILITY = ROOT.resolve("deploy/observability");
    private static final Path WORK = ROOT.resolve("deploy-checks/target/live-stack");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> SERVICES = List.of("GATEWAY", "RUN_SERVICE", "WORKER_SERVICE", "ASSIGN_SERVICE");

    private static Properties stack;

    @BeforeAll
    static void startStack() throws IOException {
        Tools.require("prometheus", "prometheus");
        Tools.require("psql", "postgresql-client");
        Tools.run(ROOT, 60, OBSERVABILITY.resolve("live-stack.sh").toString(), "stop", WORK.toString());
        deleteTree(WORK);
        var started =
                Tools.run(ROOT, 420, OBSERVABILITY.resolve("live-stack.sh").toString(), "start", WORK.toString());
        assertThat(started.exitCode())
                .as("live-stack.sh start:\n%s", started.output())
                .isZero();
        stack = new Properties();
        try (var in = Files.newBufferedReader(WORK.resolve("stack.env"))) {
            stack.load(in);
        }
    }

    @AfterAll
    static void stopStack() {
        Tools.run(ROOT, 60, OBSERVABILITY.resolve("live-stack.sh").toString(), "stop", WORK.toString());
    }

    @Test
    void everyMetricNamedInARuleOrDashboardIsExported() throws Exception {
        var exported = new TreeSet<String>();
        for (var service : SERVICES) {
            var body = get(stack.getProperty(service + "_MANAGEMENT_URL") + "/actuator/prometheus");
            body.lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("[{ ]", 2)[0])
                    .forEach(exported::add);
        }
        exported.add("up"); // Prometheus's own per target
        var missing = new LinkedHashMap<String, TreeSet<String>>();
        for (var query : queries().entrySet()) {
            for (var name : Rules.metricNames(query.getValue())) {
                if (!exported.contains(name)) {
                    missing.computeIfAbsent(name, n -> new TreeSet<>()).add(query.getKey());
                }
            }
        }
        assertThat(missing)
                .as("metrics named in rules or dashboards that no service exports")
                .isEmpty();
    }

    @Test
    void everyRuleExpressionEvaluates() throws Exception {
        for (var rule : Rules.alertingRules(OBSERVABILITY.resolve("prometheus/alerts.yml"))) {
            var result = query((String) rule.get("expr"));
            assertThat(result.get("status"))
                    .as("%s: %s", rule.get("alert"), result)
                    .isEqualTo("success");
        }
        var rules = Yaml.<Map<String, Object>>parse(get(stack.getProperty("PROMETHEUS_URL") + "/api/v1/rules"));
        assertThat(rules.toString()).as("Prometheus loaded the rules").contains("RunwayGateway5xxRatioHigh");
        assertThat(rules.toString()).as("no rule failed to evaluate").doesNotContain("\"health\":\"err\"");
    }

    @Test
    void everyDashboardQueryReturnsData() throws Exception {
        // rate() over a window needs two samples of a series: the last target up may have been scraped only once
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!everyTargetScrapedThrice() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        var empty = new ArrayList<String>();
        for (var query : dashboardQueries().entrySet()) {
            var result = query(forPrometheus(query.getValue()));
            assertThat(result.get("status"))
                    .as("%s: %s", query.getKey(), result)
                    .isEqualTo("success");
            @SuppressWarnings("unchecked")
            var data = (Map<String, Object>) result.get("data");
            if (Yaml.list(data.get("result")).isEmpty()) {
                empty.add(query.getKey() + ": " + query.getValue());
            }
        }
        assertThat(empty).as("dashboard queries that return no data").isEmpty();
    }

    /** Every PromQL expression in the rules and dashboards, keyed by where it is. */
    private static Map<String, String> queries() throws IOException {
        var all = new LinkedHashMap<String, String>();
        for (var rule : Rules.alertingRules(OBSERVABILITY.resolve("prometheus/alerts.yml"))) {
            all.put("alert " + rule.get("alert"), (String) rule.get("expr"));
        }
        all.putAll(dashboardQueries());
        return all;
    }

    static Map<String, String> dashboardQueries() throws IOException {
        var all = new LinkedHashMap<String, String>();
        var dir = OBSERVABILITY.resolve("grafana/dashboards");
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (var file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Map<String, Object> dashboard = Yaml.load(file);
                collect(file.getFileName().toString(), dashboard, all);
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static void collect(String where, Object node, Map<String, String> into) {
        if (node instanceof Map<?, ?> map) {
            var title = map.get("title") instanceof String t ? where + " / " + t : where;
            if (map.get("targets") instanceof List<?> targets) {
                int i = 0;
                for (var target : targets) {
                    if (target instanceof Map<?, ?> t && t.get("expr") instanceof String expr && !expr.isBlank()) {
                        into.put(title + " #" + i++, expr);
                    }
                }
            }
            for (var value : ((Map<String, Object>) map).values()) {
                collect(title, value, into);
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(where, item, into));
        }
    }

    /** Grafana's variables replaced as Grafana would for "All" on a one-minute range. */
    static String forPrometheus(String expr) {
        return expr.replace("$__rate_interval", "1m")
                .replace("$__interval", "15s")
                .replace("$__range", "5m")
                .replaceAll("\\$\\{?\\w+}?", ".*");
    }

    private static boolean everyTargetScrapedThrice() throws Exception {
        @SuppressWarnings("unchecked")
        var data =
                (Map<String, Object>) query("min(count_over_time(up[1m])) >= 3").get("data");
        return !Yaml.list(data.get("result")).isEmpty();
    }

    private static Map<String, Object> query(String expr) throws Exception {
        var url = stack.getProperty("PROMETHEUS_URL") + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8);
        var response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Yaml.parse(response.body());
    }

    private static String get(String url) throws Exception {
        var response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (var path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
