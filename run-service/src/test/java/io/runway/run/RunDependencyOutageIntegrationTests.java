package io.runway.run;

import io.runway.common.testsupport.DependencyOutageContract;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.r2dbc.pool.max-acquire-time=2s"})
@AutoConfigureWebTestClient
@RealInfrastructure
class RunDependencyOutageIntegrationTests extends DependencyOutageContract {

    String automation;
    String run;

    @BeforeEach
    void rows() {
        var api = new RunApi(client, "outage-user", "outage-tenant");
        automation = api.automation(
                """
                [{"key":"a","name":"A","type":"log","dependsOn":[],"config":{"message":"hi"}}]""");
        run = api.start(automation, null);
        api.awaitStatus(run, "completed");
    }

    @Override
    protected List<Call> lightLoad() {
        var token = TestTokens.user("outage-user", "outage-tenant");
        return List.of(
                client -> client.get()
                        .uri("/api/v1/automation-runs/" + run)
                        .header("X-Internal-Token", token)
                        .exchange(),
                client -> client.get()
                        .uri("/api/v1/automation/run/active")
                        .header("X-Internal-Token", token)
                        .exchange(),
                client -> client.post()
                        .uri("/api/v1/automation/run/" + automation + "/start")
                        .header("X-Internal-Token", token)
                        .exchange());
    }
}
