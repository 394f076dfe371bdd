package io.runway.assign;

import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.ServiceStartupContract;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@RealInfrastructure
class AssignServiceApplicationIntegrationTests extends ServiceStartupContract {

    @Override
    protected String protectedPath() {
        return "/api/v1/worker/servers";
    }
}
