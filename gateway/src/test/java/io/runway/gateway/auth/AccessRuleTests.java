package io.runway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRuleTests {

    @ParameterizedTest(name = "{0} takes {1}")
    @CsvSource({
        "/api/v1/worker/health, SERVER_KEY",
        "/api/v1/worker/tasks, SERVER_KEY",
        "/api/v1/worker/tasks/0190a1b2-0000-7000-8000-000000000001, SERVER_KEY",
        "/api/v1/worker/tasks/bulk-update, SERVER_KEY",
        "/api/v1/worker/logs, SERVER_KEY",
        "/api/v1/worker/callback/tasks, SERVER_KEY",
        "/api/v1/worker/servers/available, ASSIGN_KEY",
        "/api/v1/worker/requests/completable, ASSIGN_KEY",
        "/api/v1/worker/links/bulk, ASSIGN_KEY",
        "/api/v1/worker/sites, ASSIGN_KEY",
        "/api/v1/worker/accounts, ASSIGN_KEY",
        "/api/v1/worker/settings, ASSIGN_KEY",
        "/api/v1/admin/servers, ADMIN",
        "/api/v1/admin/feed/fleet, ADMIN",
        "/api/v1/automation/run/0190a1b2-0000-7000-8000-000000000001/start, BEARER_USER",
        "/api/v1/automation/run/active, BEARER_USER",
        "/api/v1/automation-runs, ANY_USER_CREDENTIAL",
        "/api/v1/automation-runs/0190a1b2-0000-7000-8000-000000000001/events, ANY_USER_CREDENTIAL",
        "/api/v1/automations, ANY_USER_CREDENTIAL",
        "/v3/api-docs/run-service, PUBLIC_DOCUMENT"
    })
    void eachPublicPathTakesTheCredentialsOfItsApi(String path, AccessRule rule) {
        assertThat(AccessRule.of(path)).isEqualTo(rule);
    }

    @ParameterizedTest(name = "{0} is not the server part of the worker API")
    @CsvSource({"/api/v1/worker/healthz", "/api/v1/worker/tasksx/1", "/api/v1/worker/"})
    void aWorkerPathOnlyTakesAServerKeyWhenItsFirstSegmentIsAWorkerResource(String path) {
        assertThat(AccessRule.of(path)).isEqualTo(AccessRule.ASSIGN_KEY);
    }

    @ParameterizedTest(name = "{0} is not a public document")
    @CsvSource({"/v3/api-docs", "/api/v1/admin", "/api/v1/automation/runs"})
    void aPrefixWithoutItsSlashIsNotThatApi(String path) {
        assertThat(AccessRule.of(path)).isEqualTo(AccessRule.ANY_USER_CREDENTIAL);
    }
}
