package io.runway.run.stream;

import java.util.List;

/**
 * What an instance publishes on the Redis channel after a commit: the events that one transaction appended,
 * those of each run together and in sequence order.
 *
 * @param origin the publishing instance, which delivers to its own subscribers directly and ignores its echo
 */
record Notification(String origin, List<StoredEvent> events) {}
