package io.runway.worker.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/** Answer of {@code GET /tasks}; {@code next_cursor} is null on the last page. */
record TaskPage(
        UUID serverId,
        String serverName,
        List<Task> data,
        long total,
        int page,
        int limit,
        @JsonInclude(JsonInclude.Include.ALWAYS) UUID nextCursor) {}
