package io.runway.deploychecks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads alert rules and finds the metric names a PromQL expression uses. */
final class Rules {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPINGS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?!\\w)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "inf",
            "nan",
            "Inf",
            "NaN");

    private Rules() {}

    static List<Map<String, Object>> alertingRules(Path file) {
        Map<String, Object> document = Yaml.load(file);
        var rules = new ArrayList<Map<String, Object>>();
        for (var group : Yaml.<Map<String, Object>>list(document.get("groups"))) {
            for (var rule : Yaml.<Map<String, Object>>list(group.get("rules"))) {
                if (rule.containsKey("alert")) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    /** The metric names in {@code expr}: identifiers outside label matchers, ranges and groupings, not functions. */
    static Set<String> metricNames(String expr) {
        var text = STRINGS.matcher(expr).replaceAll("\"\"");
        text = MATCHERS.matcher(text).replaceAll(" ");
        text = RANGES.matcher(text).replaceAll(" ");
        text = GROUPINGS.matcher(text).replaceAll(" ");
        text = text.replaceAll("\\$\\w+", " ");
        var names = new TreeSet<String>();
        var matcher = IDENTIFIER.matcher(text);
        while (matcher.find()) {
            var name = matcher.group(1);
            boolean function = matcher.group(2) != null;
            if (!function && !KEYWORDS.contains(name) && !name.matches("\\d.*")) {
                names.add(name);
            }
        }
        return names;
    }
}
