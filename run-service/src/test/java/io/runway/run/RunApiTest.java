package io.runway.run;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the run API tests share: the service on real PostgreSQL and Redis, a caller in tenant-a and one in tenant-b,
 * and a three-step automation that finishes at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@RealInfrastructure
abstract class RunApiTest {

    static final String LOG_CHAIN =
            """
            [{"key": "a", "name": "A", "type": "log", "dependsOn": [], "config": {"message": "hi"}},
             {"key": "b", "name": "B", "type": "delay", "dependsOn": ["a"], "config": {"seconds": 0}},
             {"key": "c", "name": "C", "type": "log", "dependsOn": ["b"], "config": {"message": "bye"}}]""";

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    RunApi api;
    RunApi otherTenant;

    @BeforeEach
    void callers() {
        // The shared machine is slow: the first OpenAPI generation alone can take more than the default 5 s.
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        api = new RunApi(client, "u1", "tenant-a");
        otherTenant = new RunApi(client, "u2", "tenant-b");
    }

    long count(String table) {
        return db.sql("SELECT count(*) AS n FROM " + table)
                .map(row -> row.get("n", Long.class))
                .one()
                .block();
    }
}
