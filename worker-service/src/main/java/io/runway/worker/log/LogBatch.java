package io.runway.worker.log;

import java.util.List;

/** Body of {@code POST /logs}. */
record LogBatch(List<Entry> logs) {

    /** One log line sent by a worker. */
    record Entry(String level, String message) {}
}
