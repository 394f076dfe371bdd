package io.runway.gateway.metrics;

import org.springframework.http.HttpStatusCode;

/** The outcome tag of {@code gateway.requests}: a status class, {@code 429}, or {@code auth_failure}. */
public final class Outcomes {

    /** Set by the authentication filter when it refused the request. */
    public static final String AUTH_FAILURE_ATTRIBUTE = Outcomes.class.getName() + ".authFailure";

    /** Every tag value, by {@link #index}. */
    static final String[] NAMES = {"1xx", "2xx", "3xx", "4xx", "5xx", "429", "auth_failure"};

    private Outcomes() {}

    /** The position of the outcome in {@link #NAMES}: per request, no string is built. */
    static int index(HttpStatusCode status, boolean authFailure) {
        if (authFailure) {
            return 6;
        }
        if (status == null) {
            return 1;
        }
        if (status.value() == 429) {
            return 5;
        }
        return Math.min(Math.max(status.value() / 100 - 1, 0), 4);
    }
}
