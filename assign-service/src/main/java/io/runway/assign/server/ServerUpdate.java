package io.runway.assign.server;

/** Fields of a server an operator may change; {@code null} keeps the current value. */
record ServerUpdate(String ip, String status, Integer maxThreads, Integer priority, String[] serviceTypes) {}
