package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** With RUN_SERVICE_H2C=true, run event streams reach run-service over HTTP/2 cleartext; its other routes do not. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"RUN_SERVICE_H2C=true", "GATEWAY_RESPONSE_TIMEOUT=500ms"})
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class StreamsOverH2cIntegrationTests {

    @RegisterExtension
    static final Upstream RUN = new Upstream("run");

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("app.services.run-url", RUN::url);
    }

    @Test
    void eventStreamsReachTheServiceOverHttp2EventByEventBeyondTheRouteTimeout() {
        var events = GatewayFixtures.userEventStream(client, "/api/v1/automation-runs/r1/events", "user-1", "tenant-1");

        RUN.verifyHeldStream(events, Duration.ofSeconds(1));
        assertThat(RUN.lastProtocol()).isEqualTo("HTTP/2.0");
    }

    @Test
    void otherRunRoutesStayOnHttp11() {
        client.get()
                .uri("/api/v1/automations")
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("user-1", "tenant-1")))
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(RUN.lastProtocol()).isEqualTo("HTTP/1.1");
    }
}
