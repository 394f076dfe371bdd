package io.runway.run.stream;

import org.springframework.stereotype.Component;

/** What every subscriber of this instance uses: the fan-outs, replays, meters and settings. */
@Component
record RunStreamParts(
        RunChannels channels, RunReplays replays, RunEventMetrics metrics, RunEventsProperties properties) {}
