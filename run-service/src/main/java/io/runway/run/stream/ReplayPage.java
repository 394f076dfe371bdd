package io.runway.run.stream;

import java.util.List;

/**
 * Events read for one subscriber's replay, in sequence order without gaps.
 *
 * @param complete whether they reach the end of what was asked for (else another page follows from the last one)
 */
record ReplayPage(List<EventFrames> events, boolean complete) {

    long lastSeq() {
        return events.get(events.size() - 1).event().seq();
    }
}
