package io.runway.common.error;

/** The generic face's non-validation error: {@code {"detail": "..."}}. */
public record DetailBody(String detail) {}
