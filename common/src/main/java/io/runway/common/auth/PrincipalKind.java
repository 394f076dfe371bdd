package io.runway.common.auth;

/** The kinds of caller the gateway authenticates and forwards to the services. */
public enum PrincipalKind {
    /** A LIKEPION server (tool or assign) identified by its API key. */
    SERVER,
    /** An end user identified by a JWT, belonging to one tenant. */
    USER,
    /** An operator allowed on the admin API. */
    ADMIN
}
