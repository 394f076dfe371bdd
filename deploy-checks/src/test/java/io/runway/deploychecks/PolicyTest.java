package io.runway.deploychecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy ManifestsTest applies fails a Deployment without probes, resources or a non-root context. */
class PolicyTest {

    @Test
    void aBareDeploymentFailsOnEveryCount() {
        Map<String, Object> deployment = Yaml.parse(
                """
                kind: Deployment
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          image: x
                """);
        assertThat(Policy.problems(deployment))
                .containsExactlyInAnyOrder(
                        "app: no startupProbe",
                        "app: no livenessProbe",
                        "app: no readinessProbe",
                        "app: no cpu request",
                        "app: no memory request",
                        "app: no memory limit",
                        "app: not runAsNonRoot",
                        "app: allowPrivilegeEscalation not false");
    }

    @Test
    void rootUserFailsEvenWithRunAsNonRoot() {
        Map<String, Object> deployment = Yaml.parse(
                """
                kind: Deployment
                spec:
                  template:
                    spec:
                      securityContext: { runAsNonRoot: true, runAsUser: 0 }
                      containers:
                        - name: app
                          image: x
                """);
        assertThat(Policy.problems(deployment)).contains("app: runAsUser 0");
    }

    @Test
    void probesMustUseTheirHealthGroupOnTheManagementPort() {
        Map<String, Object> deployment = Yaml.parse(
                """
                kind: Deployment
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          image: x
                          startupProbe: { httpGet: { path: /actuator/health/liveness, port: management } }
                          livenessProbe: { httpGet: { path: /actuator/health, port: management } }
                          readinessProbe: { httpGet: { path: /actuator/health/liveness, port: http } }
                """);
        assertThat(Policy.problems(deployment))
                .contains(
                        "app: livenessProbe on /actuator/health, not /actuator/health/liveness",
                        "app: readinessProbe on /actuator/health/liveness, not /actuator/health/readiness",
                        "app: readinessProbe not on the management port")
                .noneMatch(problem -> problem.startsWith("app: startupProbe"));
    }
}
