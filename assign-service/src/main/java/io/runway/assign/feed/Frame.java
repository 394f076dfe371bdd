package io.runway.assign.feed;

import java.time.Instant;
import java.util.List;

/**
 * One frame of a view of the admin feed: every row ({@code full}) or only the rows that changed since the last frame;
 * {@code at} is when it was read, so a page can age timestamps by the service's clock rather than its own.
 */
record Frame(boolean full, Instant at, List<?> rows) {}
