package io.runway.assign.link;

import tools.jackson.databind.JsonNode;

/** One link of {@code POST /links/bulk} as sent; ids are strings so that a bad one is a 400, not a decoding error. */
record BulkLink(
        String requestId,
        String serviceType,
        String serverId,
        String siteId,
        String siteName,
        String accountId,
        String email,
        String username,
        String password,
        String about,
        Integer maxRetries,
        JsonNode details) {}
