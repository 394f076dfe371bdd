package io.runway.run.stream;

import java.util.List;

/**
 * What an instance publishes on the Redis channel after a commit: the events of one run that one transaction appended.
 *
 * @param origin the publishing instance, which delivers to its own subscribers directly and ignores its echo
 */
record Notification(String origin, List<StoredEvent> events) {}
