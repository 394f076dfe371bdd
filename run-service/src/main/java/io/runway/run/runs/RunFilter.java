package io.runway.run.runs;

import java.util.Set;
import java.util.UUID;

/**
 * A page request over a tenant's runs.
 *
 * @param automationId only this automation's runs, or all when null
 * @param statuses only these states, or all when null (an empty set matches nothing)
 * @param triggerType only runs started this way, or all when null
 * @param ascending oldest first instead of newest first
 * @param after keyset cursor: the last run id of the previous page (then {@code offset} is ignored)
 */
public record RunFilter(
        String tenantId,
        UUID automationId,
        Set<RunStatus> statuses,
        TriggerType triggerType,
        boolean ascending,
        int limit,
        long offset,
        UUID after) {}
