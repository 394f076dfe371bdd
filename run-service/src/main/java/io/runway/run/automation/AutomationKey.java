package io.runway.run.automation;

import java.util.UUID;

/** A tenant's automation, as a start names it. */
record AutomationKey(String tenantId, UUID id) {}
