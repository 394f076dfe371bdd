package io.runway.gateway;

import io.runway.common.testsupport.RealInfrastructure;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/** Run event streams through the gateway as configured by default (RUN_SERVICE_H2C=true): to run-service over HTTP/2 cleartext. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"RUN_SERVICE_H2C=true", "app.cors.allowed-origins=" + EventStreamRoutingContract.ALLOWED_ORIGIN})
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class EventStreamsOverH2cIntegrationTests extends EventStreamRoutingContract {

    @Override
    String expectedProtocol() {
        return "HTTP/2.0";
    }
}
