package io.runway.run.runs;

import java.util.List;
import java.util.UUID;

/** One page of runs, the number of runs matching the filter, and the cursor for the next page (null at the end). */
public record RunPage(List<Run> items, long total, UUID nextCursor) {}
