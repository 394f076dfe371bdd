package io.runway.gateway.auth;

import java.util.Set;

/** What the gateway needs to know about the server owning an API key. */
record ServerCredential(String id, String service, String status, String keyHash) {

    private static final Set<String> SERVING_STATUSES = Set.of("online", "active");

    boolean isServing() {
        return SERVING_STATUSES.contains(status);
    }

    boolean isAssign() {
        return "assign".equals(service);
    }
}
