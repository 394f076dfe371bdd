package io.runway.run.runs;

import java.util.UUID;

/** One engine decision to write: the run, the engine instance that decided it, and what changes. */
record TransitionWrite(UUID runId, String owner, Transition transition) {}
