package io.runway.assign.link;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A link as the Assign API shows it; the account password is never included. */
record LinkView(
        UUID id,
        UUID requestId,
        String serviceType,
        UUID serverId,
        UUID siteId,
        String siteName,
        UUID accountId,
        String email,
        String username,
        String about,
        String linkProfile,
        String linkPost,
        String status,
        int retryCount,
        int maxRetries,
        int attempt,
        @JsonRawValue String details,
        String errorMessage,
        String note,
        boolean isIndexed,
        Instant nextAttemptAt,
        Instant assignedAt,
        Instant startedAt,
        Instant completedAt,
        Instant createdAt,
        Instant updatedAt) {}
