package io.runway.run.automation;

import java.util.List;

/** A validated create or update request. */
record AutomationDraft(String name, List<StepDefinition> steps) {}
