package io.runway.worker.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.worker.Fixtures;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;

/** A row PostgreSQL refuses must cost only itself, never the heartbeats of every other server (issue 11, item 1). */
@SpringBootTest(properties = "app.worker.heartbeat-flush-interval=1h")
@RealInfrastructure
class HeartbeatBufferIntegrationTests {

    @Autowired
    HeartbeatBuffer buffer;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Test
    void aRefusedRowIsDroppedAloneAndTheOthersAreWrittenNowAndLater() {
        var fixtures = new Fixtures(db);
        var healthy = fixtures.server("healthy", "tool", "online");
        var poisoned = fixtures.server("poisoned", "tool", "online");
        var another = fixtures.server("another", "tool", "online");
        // bypasses the controller's validation, as a future field or a schema change could
        buffer.accept(beat(healthy, "ok", 10.0));
        buffer.accept(beat(poisoned, "nul\u0000name", 10.0));
        buffer.accept(beat(another, "ok", 1e39));
        double rejectedBefore = meters.counter("worker.heartbeat.rejected").count();

        assertThat(buffer.flush().block()).isEqualTo(1);

        assertThat(fixtures.health(healthy)).containsEntry("reported_name", "ok");
        assertThat(fixtures.health(poisoned)).isNull();
        assertThat(fixtures.health(another)).isNull();
        assertThat(meters.counter("worker.heartbeat.rejected").count() - rejectedBefore)
                .isEqualTo(2);

        buffer.accept(beat(another, "recovered", 20.0));
        assertThat(buffer.flush().block()).isEqualTo(1);
        assertThat(fixtures.health(another)).containsEntry("reported_name", "recovered");
    }

    private static Heartbeat beat(java.util.UUID server, String name, double cpu) {
        return new Heartbeat(server, new HeartbeatRequest(name, "10.0.0.1", cpu, 1.0, 1.0, 1, 1), Instant.now());
    }
}
