package io.runway.assign.request;

import java.math.BigDecimal;
import java.util.UUID;

/** A request (campaign) to create, validated; JSON fields as JSON text. */
record NewRequest(
        UUID id,
        UUID userId,
        String serviceType,
        UUID groupId,
        String name,
        String website,
        BigDecimal auctionPrice,
        int target,
        String status,
        String typeRequest,
        int priority,
        String config,
        String data,
        String folderUrls) {}
