package io.runway.run.face;

import io.runway.common.error.DetailBody;
import io.runway.common.error.ErrorBody;
import io.runway.common.error.UnmatchedRequestHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** 404 and 405 of unmatched requests: the SocialKing shape under its prefix, the generic shape elsewhere. */
@Component
class RunUnmatchedRequests extends UnmatchedRequestHandler {

    RunUnmatchedRequests(JsonMapper json) {
        super(json);
    }

    @Override
    protected Object body(String path, String code, String message) {
        return path.startsWith("/api/v1/automation/run/") ? ErrorBody.of(code, message) : new DetailBody(message);
    }
}
