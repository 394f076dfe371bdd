package io.runway.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * What the run database says about one tenant's runs after engines were killed under them: every run that exists
 * (every answered start, and any start committed but not answered) ended exactly once in success, with its events
 * numbered without gap, and every step attempt recorded once.
 */
final class RunLedger {

    private final SystemStack stack;
    private final String tenant;

    RunLedger(SystemStack stack, String tenant) {
        this.stack = stack;
        this.tenant = tenant;
    }

    /** Runs of the tenant that match an SQL condition on {@code runs}. */
    long count(String condition) {
        return stack.runDatabaseNumber(
                "SELECT count(*) FROM runs WHERE tenant_id = '%s' AND %s".formatted(tenant, condition));
    }

    /** Steps of the tenant's runs executed more than once (taken over from an engine that died mid-step). */
    long stepsRerun() {
        return stack.runDatabaseNumber(
                "SELECT count(*) FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE r.tenant_id = '%s' AND s.attempt > 1"
                        .formatted(tenant));
    }

    /** How many engines (lease owners) hold runs of the tenant whose step {@code key} is running. */
    long enginesWithRunsInStep(String key) {
        return stack.runDatabaseNumber(
                """
                SELECT count(DISTINCT r.lease_owner) FROM runs r JOIN run_steps s ON s.run_id = r.id
                WHERE r.tenant_id = '%s' AND s.step_key = '%s' AND s.status = 'running'"""
                        .formatted(tenant, key));
    }

    /** Waits until none of the tenant's runs is pending or running; false when {@code timeout} passed first. */
    boolean awaitAllEnded(Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (count("status IN ('pending', 'running')") > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        return true;
    }

    /** Seconds from the first of the tenant's runs created to the last one completed. */
    double firstCreatedToLastCompletedSeconds() {
        return stack.runDatabaseNumber(
                        "SELECT (extract(epoch FROM max(completed_at) - min(created_at)) * 1000)::bigint FROM runs"
                                + " WHERE tenant_id = '%s'".formatted(tenant))
                / 1000.0;
    }

    /** Asserts that nothing was lost: see the class comment; {@code answered} are the runs whose start was answered. */
    void assertEveryRunSucceededExactlyOnce(Collection<UUID> answered) {
        long runs = count("true");
        assertThat(runs).as("every answered start exists").isGreaterThanOrEqualTo(answered.size());
        var ids = answered.stream().map(UUID::toString).collect(Collectors.joining(","));
        assertThat(count("status = 'success' AND id = ANY('{" + ids + "}'::uuid[])"))
                .as("answered runs that succeeded")
                .isEqualTo(answered.size());
        assertThat(count("status = 'success'")).as("runs that succeeded").isEqualTo(runs);
        assertThat(stack.runDatabaseNumber(
                        """
                        SELECT count(*) FROM runs r WHERE r.tenant_id = '%s' AND 1 <> (
                            SELECT count(*) FROM run_events e WHERE e.run_id = r.id AND e.type = 'run'
                              AND e.status IN ('success', 'failed', 'canceled'))"""
                                .formatted(tenant)))
                .as("runs without exactly one end event")
                .isZero();
        assertThat(stack.runDatabaseNumber(
                        """
                        SELECT count(*) FROM runs r WHERE r.tenant_id = '%s' AND r.event_seq <> (
                            SELECT count(DISTINCT e.seq) FROM run_events e WHERE e.run_id = r.id AND e.seq <= r.event_seq)
                          OR r.event_seq <> (SELECT max(e.seq) FROM run_events e WHERE e.run_id = r.id)"""
                                .formatted(tenant)))
                .as("runs whose events have a gap")
                .isZero();
        assertThat(stack.runDatabaseNumber(
                        """
                        SELECT count(*) FROM run_steps s JOIN runs r ON r.id = s.run_id
                        WHERE r.tenant_id = '%s' AND (s.status <> 'success' OR s.attempt - 1 <> (
                            SELECT count(*) FROM run_step_attempts a
                            WHERE a.run_id = s.run_id AND a.step_key = s.step_key))"""
                                .formatted(tenant)))
                .as("steps not succeeded, or with an attempt not recorded exactly once")
                .isZero();
    }
}
