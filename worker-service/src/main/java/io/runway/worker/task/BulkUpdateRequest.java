package io.runway.worker.task;

import java.util.List;

/** Body of {@code PUT /tasks/bulk}. */
record BulkUpdateRequest(List<TaskUpdate> items) {}
