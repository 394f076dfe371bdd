package io.runway.common.error;

import tools.jackson.databind.json.JsonMapper;

/** 404 and 405 of unmatched requests in the LIKEPION shape, without the path or any internal address. */
public final class LikepionUnmatchedRequests extends UnmatchedRequestHandler {

    public LikepionUnmatchedRequests(JsonMapper json) {
        super(json);
    }

    @Override
    protected Object body(String path, String code, String message) {
        return ErrorBody.of(code, message);
    }
}
