package io.runway.assign.feed;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Ids named by events since the last frame; taking them empties the set. */
final class ChangedIds {

    private final Set<UUID> ids = ConcurrentHashMap.newKeySet();

    void add(UUID id) {
        ids.add(id);
    }

    Set<UUID> take() {
        var taken = new HashSet<UUID>();
        ids.removeIf(taken::add);
        return taken;
    }

    void clear() {
        ids.clear();
    }
}
