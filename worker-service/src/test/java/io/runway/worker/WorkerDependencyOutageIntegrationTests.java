package io.runway.worker;

import io.runway.common.testsupport.DependencyOutageContract;
import io.runway.common.testsupport.RealInfrastructure;
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
        properties = {"app.worker.server-cache-ttl=200ms", "spring.r2dbc.pool.max-acquire-time=2s"})
@AutoConfigureWebTestClient
@RealInfrastructure
class WorkerDependencyOutageIntegrationTests extends DependencyOutageContract {

    @Autowired
    DatabaseClient db;

    UUID server;
    UUID link;

    @BeforeEach
    void rows() {
        var fixtures = new Fixtures(db);
        server = fixtures.server("outage", "tool", "online");
        link = fixtures.link(fixtures.request("Outage campaign"), server, "running");
    }

    @Override
    protected List<Call> lightLoad() {
        var token = Fixtures.token(server, "tool");
        return List.of(
                client -> client.get()
                        .uri("/api/v1/worker/tasks")
                        .header("X-Internal-Token", token)
                        .exchange(),
                client -> client.put()
                        .uri("/api/v1/worker/tasks/" + link)
                        .header("X-Internal-Token", token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"note\":\"still here\"}")
                        .exchange());
    }
}
