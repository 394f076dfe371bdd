package io.runway.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/**
 * The console's operator views in headless Chromium against the packaged gateway, worker-service and assign-service
 * (docs/console.md): sign-in with the admin key, the fleet updating from a heartbeat sent through the API, campaign
 * pause/resume and bulk retry, the dispatcher charts, sign-out. The dispatcher is off, so that links stay where the
 * tests put them.
 */
@Timeout(120)
class AdminConsoleBrowserTests {

    @RegisterExtension
    static final SystemStack stack =
            SystemStack.gatewayAndRunServices(0).withLikepionServices(Map.of("DISPATCHER_ENABLED", "false"));

    private static final Consumer<HttpHeaders> AS_ADMIN = headers -> headers.set("X-Admin-Key", SystemStack.ADMIN_KEY);

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private Browser browser;
    private RunClient gateway;

    @BeforeEach
    void openBrowser() {
        gateway = new RunClient(stack.gatewayUrl());
        browser = new Browser();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void anOperatorSignsInWithTheAdminKeyAndAHeartbeatShowsOnTheFleetPageWithinTwoSeconds() {
        var server = gateway.post(
                        "/api/v1/admin/servers",
                        AS_ADMIN,
                        "{\"name\": \"fleet-" + suffix + "\", \"service\": \"tool\", \"max_threads\": 6}")
                .json();
        var serverId = server.path("data").path("id").asString();
        var apiKey = server.path("api_key").asString();

        browser.signInAsAdmin(stack.gatewayUrl(), SystemStack.ADMIN_KEY);
        assertThat((String) browser.driver().executeScript("return document.cookie"))
                .as("the session cookie is HttpOnly")
                .doesNotContain("vai_token");
        var row = "tr[data-server='" + serverId + "']";
        browser.find(row);
        browser.find("#feed-status[data-state='live']");

        // The first heartbeat warms the path (the gateway's key cache, the server lookup, the first flush); the second
        // is timed, as a fleet's regular heartbeats are.
        heartbeat(apiKey, "10");
        browser.until(
                Duration.ofSeconds(10),
                d -> "10".equals(d.findElement(By.cssSelector(row)).getAttribute("data-cpu")) ? true : null);
        long sent = System.nanoTime();
        heartbeat(apiKey, "42.5");
        browser.until(
                Duration.ofSeconds(5),
                d -> "42.5".equals(d.findElement(By.cssSelector(row)).getAttribute("data-cpu")) ? true : null);
        var elapsed = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(elapsed).as("heartbeat to fleet page").isLessThan(Duration.ofSeconds(2));
        assertThat(browser.find(row + " td.age").getText()).endsWith("s ago");
        browser.screenshot("fleet");
        browser.resize(390, 844);
        browser.screenshot("fleet-390");
    }

    @Test
    void anOperatorPausesAndResumesACampaignAndRetriesItsFailedLinks() {
        var request = gateway.post(
                        "/api/v1/admin/requests",
                        AS_ADMIN,
                        "{\"name\": \"Campaign " + suffix
                                + "\", \"service_type\": \"entity\", \"target\": 10, \"status\": \"running\"}")
                .json()
                .path("data");
        var requestId = request.path("id").asString();
        stack.likepionSql(
                """
                INSERT INTO links (id, request_id, service_type, status, completed_at)
                SELECT gen_random_uuid(), '%s', 'entity', s, CASE WHEN s = 'completed' THEN now() END
                FROM unnest(ARRAY['failed', 'failed', 'completed']) AS s
                """
                        .formatted(requestId));

        browser.signInAsAdmin(stack.gatewayUrl(), SystemStack.ADMIN_KEY);
        browser.find("a[data-nav='campaigns']").click();
        var row = "tr[data-campaign='" + requestId + "']";
        browser.find(row + "[data-status='running']");
        assertThat(browser.find(row + " td.counts").getText())
                .contains("failed 2")
                .contains("completed 1");

        browser.find(row + " button[data-action='pause']").click();
        browser.find(row + "[data-status='pending']");
        assertThat(adminStatus(requestId)).isEqualTo("pending");
        browser.find(row + " button[data-action='resume']").click();
        browser.find(row + "[data-status='running']");

        browser.find(row + " button[data-action='retry-failed']").click();
        browser.until(
                Duration.ofSeconds(10),
                d -> d.findElement(By.cssSelector(row + " td.counts")).getText().contains("pending 2") ? true : null);
        assertThat(browser.find("#flash").getText()).startsWith("2 failed links");
        browser.screenshot("campaigns");
    }

    @Test
    void theDispatcherViewDrawsItsChartsLive() {
        browser.signInAsAdmin(stack.gatewayUrl(), SystemStack.ADMIN_KEY);
        browser.find("a[data-nav='dispatcher']").click();
        browser.until(Duration.ofSeconds(10), d -> {
            var last = d.findElement(By.id("chart-pending")).getAttribute("data-last");
            return last == null || last.isEmpty() ? null : true;
        });
        var points = browser.until(Duration.ofSeconds(10), d -> {
            var drawn = d.findElement(By.cssSelector("#chart-pending polyline")).getAttribute("points");
            return drawn.split(" ").length >= 3 ? drawn : null;
        });
        assertThat(points).isNotBlank();
        browser.screenshot("dispatcher");
    }

    @Test
    void signingOutClearsTheCookieAndTheOperatorViewsAskForASignInAgain() {
        browser.signInAsAdmin(stack.gatewayUrl(), SystemStack.ADMIN_KEY);
        assertThat(browser.sessionStatus()).isEqualTo(200);
        browser.find("#sign-out").click();
        browser.find("#admin-sign-in-form");
        assertThat(browser.sessionStatus())
                .as("the gateway no longer sees a cookie")
                .isEqualTo(401);
        browser.open(stack.gatewayUrl() + "/console/#/fleet");
        browser.find("#admin-sign-in-form");
        assertThat(browser.present("#fleet")).isFalse();
    }

    private void heartbeat(String apiKey, String cpu) {
        var answer = gateway.post(
                "/api/v1/worker/health",
                headers -> headers.set("X-API-Key", apiKey),
                "{\"cpu_usage\": " + cpu + ", \"ram_usage\": 61, \"disk_usage\": 12, \"active_tasks\": 0}");
        assertThat(answer.status()).isEqualTo(200);
    }

    private String adminStatus(String requestId) {
        JsonNode body = gateway.get(
                        "/api/v1/admin/requests/" + requestId,
                        AS_ADMIN,
                        org.springframework.http.MediaType.APPLICATION_JSON)
                .json();
        return body.path("data").path("status").asString();
    }
}
