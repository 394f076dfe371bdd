package io.runway.run;

import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.ServiceStartupContract;
import io.runway.common.testsupport.TestTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/** What run-service promises at start-up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@RealInfrastructure
class RunServiceStartupIntegrationTests extends ServiceStartupContract {

    @Override
    protected String protectedPath() {
        return "/api/v1/automation-runs";
    }

    @Override
    protected String callerToken() {
        return TestTokens.user("contract-user", "contract-tenant");
    }
}
