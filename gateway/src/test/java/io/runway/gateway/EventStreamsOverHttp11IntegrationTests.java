package io.runway.gateway;

import io.runway.common.testsupport.RealInfrastructure;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/** Run event streams through the gateway with RUN_SERVICE_H2C=false: to run-service over HTTP/1.1, one connection each. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"RUN_SERVICE_H2C=false", "app.cors.allowed-origins=" + EventStreamRoutingContract.ALLOWED_ORIGIN})
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class EventStreamsOverHttp11IntegrationTests extends EventStreamRoutingContract {

    @Override
    String expectedProtocol() {
        return "HTTP/1.1";
    }
}
