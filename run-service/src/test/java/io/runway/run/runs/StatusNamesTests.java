package io.runway.run.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.run.runs.StatusNames.Face;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusNamesTests {

    @Test
    void socialKingSaysSuccessInHistoryAndCompletedInItsStream() {
        assertThat(StatusNames.run(RunStatus.SUCCESS, Face.SOCIALKING)).isEqualTo("success");
        assertThat(StatusNames.run(RunStatus.SUCCESS, Face.SOCIALKING_SSE)).isEqualTo("completed");
    }

    @Test
    void genericFaceSaysCompletedAndKeepsTheOtherNames() {
        assertThat(StatusNames.run(RunStatus.SUCCESS, Face.GENERIC)).isEqualTo("completed");
        assertThat(StatusNames.run(RunStatus.PENDING, Face.GENERIC)).isEqualTo("pending");
        assertThat(StatusNames.step(StepStatus.SKIPPED, Face.GENERIC)).isEqualTo("skipped");
    }

    @Test
    void filtersParseEachFacesOwnNamesOnly() {
        assertThat(StatusNames.parseRunFilter("success", Face.SOCIALKING)).containsExactly(RunStatus.SUCCESS);
        assertThat(StatusNames.parseRunFilter("completed", Face.GENERIC)).containsExactly(RunStatus.SUCCESS);
        assertThat(StatusNames.parseRunFilter("skipped", Face.SOCIALKING)).isEqualTo(Set.of());
        assertThat(StatusNames.runFilterNames(Face.SOCIALKING))
                .containsExactly("pending", "running", "success", "failed", "canceled", "skipped");
        assertThat(StatusNames.runFilterNames(Face.GENERIC)).doesNotContain("success");
    }
}
