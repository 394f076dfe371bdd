package io.runway.worker.task;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A task as {@code GET /tasks} shows it: the link with its request's name, website, type, price and config. */
record Task(
        UUID id,
        UUID requestId,
        String serviceType,
        UUID siteId,
        String siteName,
        String email,
        String username,
        String password,
        String about,
        String linkProfile,
        String linkPost,
        String status,
        int retryCount,
        int maxRetries,
        @JsonRawValue String details,
        Instant startedAt,
        Instant createdAt,
        String requestName,
        String requestWebsite,
        String typeRequest,
        Number auctionPrice,
        String config) {}
