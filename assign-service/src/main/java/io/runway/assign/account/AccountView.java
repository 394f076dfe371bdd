package io.runway.assign.account;

import java.time.Instant;
import java.util.UUID;

/** A posting account of a group; the Assign API passes its credentials on to the links it creates. */
record AccountView(
        UUID id,
        UUID groupId,
        String email,
        String username,
        String password,
        String about,
        String status,
        Instant createdAt,
        Instant updatedAt) {}
