package io.runway.deploychecks;

import static io.runway.deploychecks.ManifestsTest.at;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every Deployment must have: probes on the health groups (readiness on {@code /actuator/health/readiness},
 * liveness and start-up on {@code /actuator/health/liveness}, at the management port), resources, a non-root
 * security context.
 */
final class Policy {

    private Policy() {}

    static List<String> problems(Map<String, Object> deployment) {
        var problems = new ArrayList<String>();
        var pod = at(deployment, "spec", "template", "spec");
        var podRunAsNonRoot = Boolean.TRUE.equals(at(pod, "securityContext", "runAsNonRoot"));
        var containers = Yaml.<Map<String, Object>>list(at(pod, "containers"));
        if (containers.isEmpty()) {
            problems.add("no containers");
        }
        for (var container : containers) {
            var name = container.get("name");
            for (var probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                if (container.get(probe) == null) {
                    problems.add(name + ": no " + probe);
                    continue;
                }
                var group = probe.equals("readinessProbe") ? "readiness" : "liveness";
                var path = at(container, probe, "httpGet", "path");
                if (!("/actuator/health/" + group).equals(path)) {
                    problems.add(name + ": " + probe + " on " + path + ", not /actuator/health/" + group);
                }
                if (!"management".equals(String.valueOf(at(container, probe, "httpGet", "port")))) {
                    problems.add(name + ": " + probe + " not on the management port");
                }
            }
            if (at(container, "resources", "requests", "cpu") == null) {
                problems.add(name + ": no cpu request");
            }
            if (at(container, "resources", "requests", "memory") == null) {
                problems.add(name + ": no memory request");
            }
            if (at(container, "resources", "limits", "memory") == null) {
                problems.add(name + ": no memory limit");
            }
            var nonRoot = at(container, "securityContext", "runAsNonRoot");
            if (!(Boolean.TRUE.equals(nonRoot) || (nonRoot == null && podRunAsNonRoot))) {
                problems.add(name + ": not runAsNonRoot");
            }
            var user = at(container, "securityContext", "runAsUser");
            if (user == null) {
                user = at(pod, "securityContext", "runAsUser");
            }
            if (user instanceof Number number && number.longValue() == 0) {
                problems.add(name + ": runAsUser 0");
            }
            if (!Boolean.FALSE.equals(at(container, "securityContext", "allowPrivilegeEscalation"))) {
                problems.add(name + ": allowPrivilegeEscalation not false");
            }
        }
        return problems;
    }
}
