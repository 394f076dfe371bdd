package io.runway.gateway.error;

import io.runway.common.error.DetailBody;
import io.runway.common.error.ErrorBody;

/** The public API faces, each with its own error shape: the generic face answers {@code {"detail"}}, the others {@code {"success":false,…}}. */
public enum ApiFace {
    /** LIKEPION worker/assign/admin APIs and the SocialKing run API. */
    SUCCESS_FLAG,
    /** The generic automation-runs reference (seed 003) and {@code /api/v1/automations}. */
    GENERIC;

    public static ApiFace of(String path) {
        if (path.startsWith("/api/v1/automation-runs") || path.startsWith("/api/v1/automations")) {
            return GENERIC;
        }
        return SUCCESS_FLAG;
    }

    public Object body(String error, String message) {
        return this == GENERIC ? new DetailBody(message) : ErrorBody.of(error, message);
    }
}
