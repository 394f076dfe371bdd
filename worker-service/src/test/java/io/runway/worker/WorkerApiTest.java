package io.runway.worker;

import static io.runway.worker.Fixtures.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the worker API tests share: the service on real PostgreSQL and Redis with a fast heartbeat flush and a short
 * server cache, two serving servers and a request before each test, and calls as the first server.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.worker.heartbeat-flush-interval=100ms", "app.worker.server-cache-ttl=200ms"})
@AutoConfigureWebTestClient
@RealInfrastructure
abstract class WorkerApiTest {

    static final String API = "/api/v1/worker";

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ReactiveRedisConnectionFactory redis;

    @Value("${app.redis.key-prefix}")
    String prefix;

    Fixtures fixtures;
    UUID server;
    UUID other;
    UUID request;

    @BeforeEach
    void setUp() {
        fixtures = new Fixtures(db);
        server = fixtures.server("tool", "tool", "online");
        other = fixtures.server("other", "tool", "active");
        request = fixtures.request("Campaign A");
    }

    WebTestClient.RequestHeadersSpec<?> get(String uri) {
        return client.get().uri(API + uri).header("X-Internal-Token", token(server, "tool"));
    }

    WebTestClient.ResponseSpec put(String uri, String json) {
        return send(client.put(), uri, json, server);
    }

    WebTestClient.ResponseSpec post(String uri, String json) {
        return send(client.post(), uri, json, server);
    }

    WebTestClient.ResponseSpec send(WebTestClient.RequestBodyUriSpec method, String uri, String json, UUID as) {
        return method.uri(API + uri)
                .header("X-Internal-Token", token(as, "tool"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange();
    }
}
