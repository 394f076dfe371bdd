package io.runway.gateway.metrics;

import org.springframework.http.HttpStatusCode;

/** The outcome tag of {@code gateway.requests}: a status class, {@code 429}, or {@code auth_failure}. */
public final class Outcomes {

    /** Set by the authentication filter when it refused the request. */
    public static final String AUTH_FAILURE_ATTRIBUTE = Outcomes.class.getName() + ".authFailure";

    private Outcomes() {}

    static String of(HttpStatusCode status, boolean authFailure) {
        if (authFailure) {
            return "auth_failure";
        }
        if (status == null) {
            return "2xx";
        }
        if (status.value() == 429) {
            return "429";
        }
        return (status.value() / 100) + "xx";
    }
}
