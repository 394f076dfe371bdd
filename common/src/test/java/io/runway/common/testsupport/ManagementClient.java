package io.runway.common.testsupport;

import org.springframework.test.web.reactive.server.WebTestClient;

/** A client of a service's management port (health, metrics, Prometheus), which the API port does not serve. */
public final class ManagementClient {

    private ManagementClient() {}

    /** Pass the test's {@code @LocalManagementPort}. */
    public static WebTestClient on(int managementPort) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + managementPort)
                .build();
    }
}
