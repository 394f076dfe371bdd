package io.runway.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.error.DetailBody;
import io.runway.common.error.ErrorBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiFaceTests {

    @ParameterizedTest(name = "{0} answers errors as {1}")
    @CsvSource({
        "/api/v1/automation-runs, GENERIC",
        "/api/v1/automation-runs/0190a1b2-0000-7000-8000-000000000001/retry, GENERIC",
        "/api/v1/automations, GENERIC",
        "/api/v1/automations/0190a1b2-0000-7000-8000-000000000001, GENERIC",
        "/api/v1/automation/run/0190a1b2-0000-7000-8000-000000000001/start, SUCCESS_FLAG",
        "/api/v1/worker/health, SUCCESS_FLAG",
        "/api/v1/worker/servers/available, SUCCESS_FLAG",
        "/api/v1/admin/servers, SUCCESS_FLAG",
        "/console/, SUCCESS_FLAG"
    })
    void eachPathBelongsToTheFaceOfItsSeed(String path, ApiFace face) {
        assertThat(ApiFace.of(path)).isEqualTo(face);
    }

    @Test
    void theGenericFaceAnswersADetailAndTheOthersASuccessFlagWithACode() {
        assertThat(ApiFace.GENERIC.body("rate_limited", "Too many requests"))
                .isEqualTo(new DetailBody("Too many requests"));
        assertThat(ApiFace.SUCCESS_FLAG.body("rate_limited", "Too many requests"))
                .isEqualTo(new ErrorBody(false, "rate_limited", "Too many requests"));
    }
}
