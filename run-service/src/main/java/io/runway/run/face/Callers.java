package io.runway.run.face;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** The tenant a caller acts for: runs and automations belong to the caller's tenant only. */
public final class Callers {

    private Callers() {}

    public static String tenant(CallerPrincipal caller) {
        if (!caller.isUser() || caller.tenant() == null || caller.tenant().isBlank()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Only users of a tenant may use automations");
        }
        return caller.tenant();
    }
}
