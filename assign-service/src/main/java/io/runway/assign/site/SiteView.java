package io.runway.assign.site;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A site on which links create profiles or posts. */
record SiteView(
        UUID id,
        String name,
        String type,
        boolean active,
        @JsonRawValue String config,
        Instant createdAt,
        Instant updatedAt) {}
