package io.runway.assign.request;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A request (campaign) as the Assign API shows it. */
record RequestView(
        UUID id,
        UUID userId,
        String serviceType,
        UUID groupId,
        String name,
        String website,
        BigDecimal auctionPrice,
        int target,
        int createdLinks,
        String status,
        String typeRequest,
        int priority,
        @JsonRawValue String config,
        @JsonRawValue String data,
        @JsonRawValue String folderUrls,
        Instant startedAt,
        Instant completedAt,
        Instant createdAt,
        Instant updatedAt) {}
