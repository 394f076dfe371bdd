package io.runway.run.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.id.UuidV7;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.run.automation.Automation;
import io.runway.run.automation.AutomationService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/** Lease renewal: the runs still executed here get a later lease; every other run it was asked about is reported. */
@SpringBootTest
@RealInfrastructure
class RunLeasesIntegrationTests {

    @Autowired
    RunLeases leases;

    @Autowired
    RunStore store;

    @Autowired
    AutomationService automations;

    @Autowired
    DatabaseClient db;

    @Autowired
    Clock clock;

    @Test
    void renewalExtendsOwnRunsAndReportsRunsTakenOverFinishedOrUnknown() {
        var tenant = "leases-" + UUID.randomUUID();
        var automation = automations
                .create(
                        tenant,
                        "u1",
                        JsonMapper.builder()
                                .build()
                                .readTree(
                                        """
                                        {"name": "one", "steps": [{"key": "a", "type": "log"}]}"""))
                .block();
        var owner = "test-owner-" + UUID.randomUUID();
        var firstLease = clock.instant().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        var ours = insertRunning(automation, owner, firstLease);
        var takenOver = insertRunning(automation, owner, firstLease);
        var finished = insertRunning(automation, owner, firstLease);
        var unknown = UuidV7.next(clock);
        db.sql("UPDATE runs SET lease_owner = 'someone-else' WHERE id = :id")
                .bind("id", takenOver)
                .then()
                .block();
        db.sql("UPDATE runs SET status = 'success', lease_owner = NULL, lease_expires_at = NULL WHERE id = :id")
                .bind("id", finished)
                .then()
                .block();
        var renewedUntil = firstLease.plusSeconds(60);

        var lost = leases.renewAndFindLost(owner, List.of(ours, takenOver, finished, unknown), renewedUntil)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(lost).containsExactlyInAnyOrder(takenOver, finished, unknown);
        assertThat(leaseOf(ours)).isEqualTo(renewedUntil);
        assertThat(leaseOf(takenOver)).isEqualTo(firstLease);
    }

    private UUID insertRunning(Automation automation, String owner, Instant lease) {
        var run = TestRuns.started(clock, automation.tenantId(), automation.id(), automation.automationVersionId());
        return store.insert(run, automation.steps(), owner, lease, false)
                .block()
                .id();
    }

    private Instant leaseOf(UUID runId) {
        return db.sql("SELECT lease_expires_at FROM runs WHERE id = :id")
                .bind("id", runId)
                .map(row -> row.get("lease_expires_at", Instant.class))
                .one()
                .block();
    }
}
