package io.runway.worker.server;

import java.util.UUID;

/**
 * A calling server that is allowed to use the Worker API.
 *
 * @param id the server's id
 * @param name its name in the servers table
 * @param service {@code tool} or {@code assign}
 */
public record ActiveServer(UUID id, String name, String service) {

    public boolean isAssign() {
        return "assign".equals(service);
    }
}
