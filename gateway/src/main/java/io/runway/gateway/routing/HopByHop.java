package io.runway.gateway.routing;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpHeaders;

/**
 * The headers that stay between two hops: the configured hop-by-hop names
 * ({@code spring.cloud.gateway.server.webflux.filter.remove-hop-by-hop.headers}) and those a message's
 * {@code Connection} header names.
 */
final class HopByHop {

    private final Set<String> names;

    HopByHop(Collection<String> names) {
        var caseInsensitive = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.addAll(names);
        this.names = caseInsensitive;
    }

    /** The names a message's {@code Connection} header lists (usually none). */
    List<String> connectionOptions(HttpHeaders headers) {
        return headers.containsHeader(HttpHeaders.CONNECTION) ? headers.getConnection() : List.of();
    }

    /** Whether any of the message's headers stays behind (usually none: then the headers can pass as they are). */
    boolean removesAny(HttpHeaders headers, List<String> connectionOptions) {
        for (var name : headers.headerNames()) {
            if (removes(name, connectionOptions)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the header {@code name} of a message with these connection options stays behind. */
    boolean removes(String name, List<String> connectionOptions) {
        if (names.contains(name)) {
            return true;
        }
        for (var option : connectionOptions) {
            if (option.trim().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
