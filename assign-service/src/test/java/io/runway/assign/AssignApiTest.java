package io.runway.assign;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.MutableClock;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the Assign API and operator API tests share: the service on real PostgreSQL and Redis with the dispatcher off, a
 * clock standing still, fresh data before each test, and calls as an assign server or as an operator.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.dispatcher.enabled=false"})
@AutoConfigureWebTestClient
@RealInfrastructure
@Import(AssignApiTest.ClockConfig.class)
abstract class AssignApiTest {

    @Autowired
    WebTestClient client;

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    @TestConfiguration
    static class ClockConfig {
        @Bean
        MutableClock clock() {
            return new MutableClock(NOW);
        }
    }

    @Autowired
    DatabaseClient db;

    @Autowired
    MutableClock clock;

    TestData data;
    String assignToken;

    @BeforeEach
    void reset() {
        // The machine is shared and loaded: the first OpenAPI rendering can take longer than the default 5 s.
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        data = new TestData(db);
        data.reset();
        assignToken = TestTokens.server(UUID.randomUUID().toString(), "assign");
    }

    WebTestClient.ResponseSpec call(HttpMethod method, String uri, Object body) {
        return call(assignToken, method, uri, body);
    }

    WebTestClient.ResponseSpec call(String token, HttpMethod method, String uri, Object body) {
        var spec = client.method(method).uri(uri).header("X-Internal-Token", token);
        if (body instanceof String raw) {
            return spec.contentType(MediaType.APPLICATION_JSON).bodyValue(raw).exchange();
        }
        if (body != null) {
            return spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        }
        return spec.exchange();
    }

    WebTestClient.ResponseSpec get(String uri) {
        return call(HttpMethod.GET, uri, null);
    }

    WebTestClient.ResponseSpec put(String uri, Object body) {
        return call(HttpMethod.PUT, uri, body);
    }

    WebTestClient.ResponseSpec admin(HttpMethod method, String uri, Object body) {
        return call(TestTokens.admin(), method, uri, body);
    }

    String status(String table, UUID id) {
        return (String) data.row("SELECT status FROM " + table + " WHERE id = '" + id + "'")
                .get("status");
    }

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    Map<String, String> seed() throws Exception {
        var script = java.nio.file.Path.of("../deploy/local/seed-likepion.sh")
                .toAbsolutePath()
                .normalize();
        var process = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        process.environment().put("GATEWAY_URL", "http://127.0.0.1:" + port);
        process.environment().put("ADMIN_INTERNAL_TOKEN", TestTokens.admin());
        process.environment().remove("ADMIN_API_KEY");
        var started = process.start();
        started.getOutputStream().close();
        var output = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(started.waitFor()).as("seed script output: %s", output).isZero();
        var keys = new java.util.LinkedHashMap<String, String>();
        for (var line : output.strip().split("\n")) {
            var parts = line.split("=", 2);
            keys.put(parts[0], parts[1]);
        }
        return keys;
    }

    static String sha256(String value) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
