package io.runway.assign;

import io.runway.common.testsupport.DependencyOutageContract;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.dispatcher.enabled=false", "spring.r2dbc.pool.max-acquire-time=2s"})
@AutoConfigureWebTestClient
@RealInfrastructure
class AssignDependencyOutageIntegrationTests extends DependencyOutageContract {

    @Autowired
    DatabaseClient db;

    UUID server;

    @BeforeEach
    void rows() {
        var data = new TestData(db);
        data.reset();
        server = data.server("outage", "tool", 4, 0, "entity");
    }

    @Override
    protected List<Call> lightLoad() {
        var token = TestTokens.server(UUID.randomUUID().toString(), "assign");
        return List.of(
                client -> client.get()
                        .uri("/api/v1/worker/servers/available")
                        .header("X-Internal-Token", token)
                        .exchange(),
                client -> client.put()
                        .uri("/api/v1/worker/servers/" + server + "/status")
                        .header("X-Internal-Token", token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"status\":\"online\"}")
                        .exchange());
    }
}
