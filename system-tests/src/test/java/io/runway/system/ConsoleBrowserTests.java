package io.runway.system;

import static io.runway.system.RunClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The Runway console in headless Chromium against the packaged gateway and run-service (docs/console.md): sign-in,
 * automations, live runs, stop, tenant isolation, and a page on another origin using the APIs with the cookie. Each
 * view's screenshot is written to docs/console/.
 */
@Timeout(120)
class ConsoleBrowserTests {

    /** Serves {@link #CROSS_ORIGIN_PAGE} on two origins; the first is listed in the gateway's CORS origins. */
    private static final HttpServer LISTED = pageServer();

    private static final HttpServer UNLISTED = pageServer();

    @RegisterExtension
    static final SystemStack stack =
            SystemStack.gatewayAndRunServices(1).withGatewayEnv("CORS_ALLOWED_ORIGINS", origin(LISTED));

    private static final String TENANT = "tenant-console";
    private static final String OTHER_TENANT = "tenant-other";

    /** About three seconds: a delay, then two logs. */
    private static final String FINISHES =
            """
            {"steps": [
              {"key": "wait", "name": "Wait", "type": "delay", "dependsOn": [], "config": {"seconds": 2}},
              {"key": "left", "name": "Left", "type": "log", "dependsOn": ["wait"], "config": {}},
              {"key": "right", "name": "Right", "type": "log", "dependsOn": ["wait"], "config": {}},
              {"key": "join", "name": "Join", "type": "log", "dependsOn": ["left", "right"], "config": {}}]}""";

    private static final String HOLDS =
            """
            {"name": "holds", "steps": [
              {"key": "first", "name": "First", "type": "delay", "dependsOn": [], "config": {"seconds": 1}},
              {"key": "hold", "name": "Hold", "type": "delay", "dependsOn": ["first"], "config": {"seconds": 600}}]}""";

    private final String user = "console-" + UUID.randomUUID().toString().substring(0, 6);
    private final String token = SystemStack.userJwt(user, TENANT);
    private final Consumer<HttpHeaders> asUser = bearer(token);
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

    @AfterAll
    static void stopPageServers() {
        LISTED.stop(0);
        UNLISTED.stop(0);
    }

    @Test
    void signInCreateAnAutomationWithFieldErrorsThenStartARunAndWatchItReach100PercentWithoutAReload() {
        browser.open(stack.gatewayUrl() + "/");
        browser.find("#sign-in-form");
        browser.screenshot("sign-in");
        browser.signIn(stack.gatewayUrl(), token);

        browser.find("a[data-nav='automations']").click();
        browser.find("#create-automation");
        // A definition the service refuses: its error is shown next to the definition field.
        browser.find("#automation-name").sendKeys("Console demo");
        var definition = browser.find("#automation-definition");
        definition.clear();
        definition.sendKeys("{\"steps\": [{\"key\": \"a\", \"type\": \"no-such-type\", \"dependsOn\": []}]}");
        browser.find("#create").click();
        var error = browser.until(Duration.ofSeconds(10), d -> {
            var text = d.findElement(By.id("definition-error")).getText();
            return text.isBlank() ? null : text;
        });
        assertThat(error).isNotBlank();
        browser.screenshot("automations-field-error");

        definition.clear();
        definition.sendKeys(FINISHES);
        browser.find("#create").click();
        var start = browser.find("#automations tr button[data-action='start']");
        browser.screenshot("automations");
        start.click();

        // The runs page: the new run's progress bar moves to 100 % from the stream, without a reload.
        var marker = browser.driver().executeScript("window.__noReload = true; return true;");
        assertThat(marker).isEqualTo(true);
        var row = browser.find("table.runs tbody tr[data-run]");
        var runId = row.getAttribute("data-run");
        browser.until(
                Duration.ofSeconds(30),
                d -> "completed"
                                .equals(d.findElement(By.cssSelector("tr[data-run='" + runId + "']"))
                                        .getAttribute("data-status"))
                        ? true
                        : null);
        var progress = browser.driver()
                .findElement(By.cssSelector("tr[data-run='" + runId + "'] progress"))
                .getDomProperty("value");
        assertThat(Double.parseDouble(progress)).isEqualTo(100.0);
        assertThat(browser.driver().executeScript("return window.__noReload === true"))
                .as("the page was not reloaded")
                .isEqualTo(true);
        browser.screenshot("runs");
        browser.resize(390, 844);
        browser.screenshot("runs-390");
        browser.resize(1280, 900);

        // Its detail: the DAG with every step completed and the event log, each event once.
        browser.find("tr[data-run='" + runId + "'] a").click();
        awaitRunStatus("completed", Duration.ofSeconds(10));
        assertThat(browser.driver().findElements(By.cssSelector("#dag g.step-completed")))
                .hasSize(4);
        var log = browser.find("#event-log");
        assertThat(log.getAttribute("data-duplicates")).isNull();
        assertThat(log.findElements(By.tagName("li"))).hasSizeGreaterThanOrEqualTo(9);
        browser.screenshot("run-detail");
    }

    @Test
    void stopARunningRunFromItsPage() {
        var runId = gateway.startRun(asUser, HOLDS, "{}");
        browser.signIn(stack.gatewayUrl(), token);
        browser.open(stack.gatewayUrl() + "/console/#/runs/" + runId);
        browser.until(
                Duration.ofSeconds(15),
                d -> d.findElements(By.cssSelector("#dag g.step-running[data-step='hold']"))
                                .isEmpty()
                        ? null
                        : true);
        browser.screenshot("run-detail-running");
        browser.find("#stop").click();
        awaitRunStatus("canceled", Duration.ofSeconds(15));
        assertThat(gateway.status(runId, asUser)).isEqualTo("canceled");
    }

    @Test
    void aCookieOfOneTenantNeverShowsAnotherTenantsRuns() {
        var other = bearer(SystemStack.userJwt("someone-else", OTHER_TENANT));
        var foreignRun = gateway.startRun(other, HOLDS, "{}");
        var ownRun = gateway.startRun(asUser, HOLDS, "{}");
        try {
            browser.signIn(stack.gatewayUrl(), token);
            browser.find("tr[data-run='" + ownRun + "']");
            assertThat(browser.present("tr[data-run='" + foreignRun + "']")).isFalse();
            // Even by its address: the gateway answers as for an unknown run, and nothing of it is drawn.
            browser.open(stack.gatewayUrl() + "/console/#/runs/" + foreignRun);
            browser.find("#flash.error");
            assertThat(browser.present("#dag")).isFalse();
        } finally {
            gateway.stop(foreignRun, other);
            gateway.stop(ownRun, asUser);
        }
    }

    @Test
    void aPageOnAListedOriginStartsAndStreamsARunWithTheCookieAndOneOnAnUnlistedOriginCannot() {
        var automationId = gateway.post(
                        "/api/v1/automations", asUser, FINISHES.replace("{\"steps\"", "{\"name\": \"cors\", \"steps\""))
                .json()
                .path("id")
                .asString();
        var query = "?gateway=" + stack.gatewayUrl() + "&automation=" + automationId + "&token=" + token;

        browser.open(origin(LISTED) + "/" + query);
        var listed = browser.until(Duration.ofSeconds(30), d -> {
            var text = d.findElement(By.id("result")).getText();
            return text.isBlank() ? null : text;
        });
        assertThat(listed).isEqualTo("completed 100");

        browser.open(origin(UNLISTED) + "/" + query);
        var unlisted = browser.until(Duration.ofSeconds(30), d -> {
            var text = d.findElement(By.id("result")).getText();
            return text.isBlank() ? null : text;
        });
        assertThat(unlisted).startsWith("blocked");
    }

    @Test
    void signingOutClearsTheCookie() {
        browser.signIn(stack.gatewayUrl(), token);
        assertThat(browser.sessionStatus()).isEqualTo(200);
        browser.find("#sign-out").click();
        browser.find("#sign-in-form");
        assertThat(browser.find("#flash").getText()).isEqualTo("Signed out.");
        assertThat(browser.sessionStatus())
                .as("the gateway no longer sees a cookie")
                .isEqualTo(401);
        browser.open(stack.gatewayUrl() + "/console/#/runs");
        browser.find("#sign-in-form");
    }

    @Test
    void anExpiredTokenReturnsToSignInWithAClearMessage() {
        var shortLived = UserJwts.sign(SystemStack.JWT_SECRET, user, TENANT, Duration.ofSeconds(5));
        browser.signIn(stack.gatewayUrl(), shortLived);
        var message = browser.until(Duration.ofSeconds(15), d -> {
            var flash = d.findElements(By.cssSelector("#flash.error"));
            return flash.isEmpty() || !d.findElement(By.id("sign-in-form")).isDisplayed()
                    ? null
                    : flash.get(0).getText();
        });
        assertThat(message).startsWith("Your session expired at").endsWith("Sign in again to continue.");
        browser.screenshot("session-expired");
        // and after a reload too: the page remembers when the session ended, never the token
        browser.open(stack.gatewayUrl() + "/console/#/runs");
        assertThat(browser.find("#flash.error").getText()).startsWith("Your session expired at");
    }

    @Test
    void theRunsListPagesWithACursor() {
        var pagerJwt = SystemStack.userJwt("pager", "tenant-paging-" + UUID.randomUUID());
        var pager = bearer(pagerJwt);
        var runs = new ArrayList<UUID>();
        for (int i = 0; i < 3; i++) {
            runs.add(gateway.startRun(
                    pager, FINISHES.replace("{\"steps\"", "{\"name\": \"page-" + i + "\", \"steps\""), "{}"));
        }
        browser.signIn(stack.gatewayUrl(), pagerJwt);
        browser.open(stack.gatewayUrl() + "/console/#/runs?limit=2");
        browser.until(
                Duration.ofSeconds(10),
                d -> d.findElements(By.cssSelector("table.runs tbody tr")).size() == 2 ? true : null);
        assertThat(browser.present("tr[data-run='" + runs.get(2) + "']"))
                .as("newest first")
                .isTrue();
        browser.find("#next-page").click();
        browser.until(
                Duration.ofSeconds(10),
                d -> d.findElements(By.cssSelector("table.runs tbody tr")).size() == 1 ? true : null);
        assertThat(browser.present("tr[data-run='" + runs.get(0) + "']")).isTrue();
        assertThat(browser.present("#next-page")).isFalse();
        browser.find("#newest-page").click();
        browser.find("tr[data-run='" + runs.get(2) + "']");
    }

    @Test
    void aFailedRunIsRetriedFromItsPageAndCompletes() throws IOException {
        var calls = new AtomicInteger();
        var flaky = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        flaky.createContext("/", exchange -> {
            exchange.sendResponseHeaders(calls.incrementAndGet() == 1 ? 500 : 200, -1);
            exchange.close();
        });
        flaky.start();
        try {
            var automation =
                    """
                    {"name": "flaky", "steps": [
                      {"key": "call", "name": "Call", "type": "http", "dependsOn": [],
                       "config": {"method": "GET", "url": "%s/", "maxAttempts": 1, "timeoutSeconds": 5}},
                      {"key": "after", "name": "After", "type": "log", "dependsOn": ["call"], "config": {}}]}"""
                            .formatted(origin(flaky));
            var runId = gateway.startRun(asUser, automation, "{}");
            browser.signIn(stack.gatewayUrl(), token);
            browser.open(stack.gatewayUrl() + "/console/#/runs/" + runId);
            browser.find("#run-status .status[data-status='failed']");
            browser.find("#dag g.step-failed[data-step='call']");
            browser.screenshot("run-detail-failed");

            browser.find("#retry").click();
            awaitRunStatus("completed", Duration.ofSeconds(20));
            assertThat(browser.driver().findElements(By.cssSelector("#dag g.step-completed")))
                    .hasSize(2);
            assertThat(calls.get()).isEqualTo(2);
        } finally {
            flaky.stop(0);
        }
    }

    @Test
    @Timeout(300)
    void aRunServiceRestartDuringARunResumesItsPageWithEveryEventOnce() {
        var runId = gateway.startRun(
                asUser,
                """
                {"name": "spans a restart", "steps": [
                  {"key": "first", "name": "First", "type": "delay", "dependsOn": [], "config": {"seconds": 1}},
                  {"key": "long", "name": "Long", "type": "delay", "dependsOn": ["first"], "config": {"seconds": 15}},
                  {"key": "after", "name": "After", "type": "log", "dependsOn": ["long"], "config": {}},
                  {"key": "last", "name": "Last", "type": "log", "dependsOn": ["after"], "config": {}}]}""",
                "{}");
        browser.signIn(stack.gatewayUrl(), token);
        browser.open(stack.gatewayUrl() + "/console/#/runs/" + runId);
        browser.find("#dag g.step-running[data-step='long']");

        stack.restartRunService(0);

        awaitRunStatus("completed", Duration.ofSeconds(180));
        var log = browser.find("#event-log");
        assertThat(log.getAttribute("data-duplicates")).as("events shown twice").isNull();
        var shown = log.findElements(By.tagName("li")).stream()
                .map(li -> Long.parseLong(li.getAttribute("data-seq")))
                .toList();
        assertThat(shown).as("every committed event once, in order").isEqualTo(stack.committedSeqs(runId));
        assertThat(browser.find("#connection").getAttribute("data-reopened"))
                .as("the page opened a new stream while run-service was away (the gateway answered 502)")
                .isNotNull();
        assertThat(browser.driver().findElements(By.cssSelector("#dag g.step-completed")))
                .hasSize(4);
    }

    @Test
    void consoleFilesCarryAStrictPolicyAnETagAndGzip() {
        var page = gateway.get("/console/", headers -> {}, MediaType.TEXT_HTML);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().getFirst("Content-Security-Policy"))
                .contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        var etag = page.headers().getETag();
        assertThat(etag).isNotBlank();
        var again = gateway.get("/console/", headers -> headers.setIfNoneMatch(etag), MediaType.TEXT_HTML);
        assertThat(again.status()).isEqualTo(304);
        var script = gateway.get("/console/app.js", headers -> headers.set("Accept-Encoding", "gzip"), MediaType.ALL);
        assertThat(script.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
        var root = gateway.get("/", headers -> {}, MediaType.TEXT_HTML);
        assertThat(root.status()).isEqualTo(302);
        assertThat(root.headers().getLocation()).hasToString("/console/");
    }

    private void awaitRunStatus(String status, Duration timeout) {
        browser.until(
                timeout,
                d -> status.equals(d.findElement(By.cssSelector("#run-status .status"))
                                .getAttribute("data-status"))
                        ? true
                        : null);
    }

    /** Signs in on the gateway from its own origin, starts a run, streams it; writes the outcome into #result. */
    private static final String CROSS_ORIGIN_PAGE =
            """
            <!doctype html><meta charset="utf-8"><title>Other app</title><p id="result"></p>
            <script type="module">
              const q = new URLSearchParams(location.search);
              const gateway = q.get("gateway");
              const result = document.getElementById("result");
              try {
                const session = await fetch(`${gateway}/api/v1/session`, {method: "POST", credentials: "include",
                  headers: {"Content-Type": "application/json"}, body: JSON.stringify({token: q.get("token")})});
                if (!session.ok) throw new Error("session " + session.status);
                const start = await fetch(`${gateway}/api/v1/automation/run/${q.get("automation")}/start`, {
                  method: "POST", credentials: "include", headers: {"Content-Type": "application/json"}, body: "{}"});
                if (!start.ok) throw new Error("start " + start.status);
                const {data: run} = await start.json();
                const events = new EventSource(`${gateway}/api/v1/automation/run/${run.runId}/sse`, {withCredentials: true});
                events.addEventListener("status", (e) => {
                  const s = JSON.parse(e.data);
                  if (s.status === "completed" || s.status === "success") { events.close(); result.textContent = "completed " + s.progress; }
                });
                events.onerror = () => { if (!result.textContent) result.textContent = "blocked: stream"; };
              } catch (e) {
                result.textContent = "blocked: " + e.message;
              }
            </script>""";

    private static HttpServer pageServer() {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                var body = CROSS_ORIGIN_PAGE.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String origin(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
