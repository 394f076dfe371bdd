package io.runway.run.runs;

import java.util.UUID;

/** The fields of a run read under its row lock, at the start of every write transaction on it. */
public record LockedRun(
        UUID id,
        String tenantId,
        RunStatus status,
        String leaseOwner,
        long eventSeq,
        int progress,
        String concurrencyKey) {

    boolean executedBy(String owner) {
        return status == RunStatus.RUNNING && owner.equals(leaseOwner);
    }
}
