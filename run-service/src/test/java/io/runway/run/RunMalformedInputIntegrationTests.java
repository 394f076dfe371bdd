package io.runway.run;

import io.runway.common.testsupport.MalformedInputContract;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@RealInfrastructure
class RunMalformedInputIntegrationTests extends MalformedInputContract {

    static final String STEPS =
            """
            [{"key":"a","name":"A","type":"log","dependsOn":[],"config":{"message":"hi"}},
             {"key":"b","name":"B","type":"delay","dependsOn":["a"],"config":{"seconds":0}}]""";

    String automation;
    String run;

    @BeforeEach
    void rows() {
        var api = new RunApi(client, "fuzz-user", "fuzz-tenant");
        automation = api.automation(STEPS);
        run = api.start(automation, null);
        api.awaitStatus(run, "completed");
    }

    @Override
    protected String tokenFor(String path) {
        return TestTokens.user("fuzz-user", "fuzz-tenant");
    }

    @Override
    protected String existingPathValue(String template, String variable) {
        return variable.equals("runId") ? run : automation;
    }

    @Override
    protected Set<String> operationsWithOptionalBody() {
        // seed 000: a start without a body starts with the defaults
        return Set.of("POST /api/v1/automation/run/{id}/start");
    }

    @Override
    protected Map<String, String> validBodies() {
        var automationBody = "{\"name\":\"fuzzed\",\"steps\":" + STEPS + "}";
        return Map.of(
                "POST /api/v1/automations",
                automationBody,
                "PUT /api/v1/automations/{id}",
                automationBody,
                "POST /api/v1/automation/run/{id}/start",
                """
                {"skipScheduleNode":true,"concurrencyKey":"k","onConflict":"queue","triggeredBy":"manual"}""",
                "POST /api/v1/automation-runs/{runId}/retry",
                """
                {"mode":"from_step","stepKey":"a"}""");
    }
}
