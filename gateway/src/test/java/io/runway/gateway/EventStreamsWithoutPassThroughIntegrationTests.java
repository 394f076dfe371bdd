package io.runway.gateway;

import io.runway.common.testsupport.RealInfrastructure;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/** Run event streams through the gateway with GATEWAY_STREAM_BRIDGE=false: Spring Cloud Gateway's own write. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "GATEWAY_STREAM_BRIDGE=false",
            "app.cors.allowed-origins=" + EventStreamRoutingContract.ALLOWED_ORIGIN
        })
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class EventStreamsWithoutPassThroughIntegrationTests extends EventStreamRoutingContract {

    @Override
    String expectedProtocol() {
        return "HTTP/1.1";
    }

    @Override
    boolean passedThrough() {
        return false;
    }
}
