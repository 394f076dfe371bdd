package io.runway.assign;

import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.ServiceStartupContract;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;

/** What assign-service promises at start-up, in the same application context as the API tests. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.dispatcher.enabled=false"})
@AutoConfigureWebTestClient
@RealInfrastructure
@Import(AssignApiTest.ClockConfig.class)
class AssignStartupIntegrationTests extends ServiceStartupContract {

    @Override
    protected String protectedPath() {
        return "/api/v1/worker/servers";
    }
}
