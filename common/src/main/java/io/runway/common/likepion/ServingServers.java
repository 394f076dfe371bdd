package io.runway.common.likepion;

import java.util.Set;

/** The LIKEPION rule that a server is served only while its status is {@code online} or {@code active}. */
public final class ServingServers {

    public static final Set<String> STATUSES = Set.of("online", "active");

    private ServingServers() {}

    public static boolean isServing(String status) {
        return STATUSES.contains(status);
    }
}
