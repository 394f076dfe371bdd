package io.runway.worker.task;

import java.util.UUID;

/** The {@code data} of a single task update answer. */
public record UpdatedBody(boolean updated, UUID linkId) {}
