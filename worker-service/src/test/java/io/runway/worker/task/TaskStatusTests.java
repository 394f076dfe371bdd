package io.runway.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TaskStatusTests {

    @Test
    void parsesWireNamesOnly() {
        assertThat(TaskStatus.parse("connecting")).contains(TaskStatus.CONNECTING);
        assertThat(TaskStatus.parse("CONNECTING")).isEmpty();
        assertThat(TaskStatus.parse(null)).isEmpty();
        for (var status : TaskStatus.values()) {
            assertThat(TaskStatus.parse(status.wire())).contains(status);
        }
    }

    @Test
    void movesForwardAlongEitherPathSkippingStepsIsAllowed() {
        assertThat(TaskStatus.PENDING.canMoveTo(TaskStatus.RUNNING)).isTrue();
        assertThat(TaskStatus.QUEUED.canMoveTo(TaskStatus.COMPLETED)).isTrue();
        assertThat(TaskStatus.CONNECT.canMoveTo(TaskStatus.CONNECTING)).isTrue();
        assertThat(TaskStatus.CONNECTING.canMoveTo(TaskStatus.FAILED)).isTrue();
    }

    @Test
    void neverMovesBackwardOrAcrossPaths() {
        assertThat(TaskStatus.RUNNING.canMoveTo(TaskStatus.QUEUED)).isFalse();
        assertThat(TaskStatus.RUNNING.canMoveTo(TaskStatus.PENDING)).isFalse();
        assertThat(TaskStatus.PENDING.canMoveTo(TaskStatus.CONNECTING)).isFalse();
        assertThat(TaskStatus.CONNECT.canMoveTo(TaskStatus.RUNNING)).isFalse();
    }

    @Test
    void aFailedTaskMayOnlyBeRetriedOrCanceled() {
        for (var target : TaskStatus.values()) {
            var allowed = EnumSet.of(TaskStatus.FAILED, TaskStatus.PENDING, TaskStatus.CANCELED)
                    .contains(target);
            assertThat(TaskStatus.FAILED.canMoveTo(target))
                    .as("failed -> %s", target)
                    .isEqualTo(allowed);
        }
    }

    @Test
    void finishedTasksStayWhereTheyAreAndEveryUnfinishedOneCanBeCanceled() {
        for (var target : TaskStatus.values()) {
            assertThat(TaskStatus.COMPLETED.canMoveTo(target)).isEqualTo(target == TaskStatus.COMPLETED);
            assertThat(TaskStatus.CANCELED.canMoveTo(target)).isEqualTo(target == TaskStatus.CANCELED);
        }
        for (var from : EnumSet.of(
                TaskStatus.PENDING, TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.CONNECT, TaskStatus.CONNECTING)) {
            assertThat(from.canMoveTo(TaskStatus.CANCELED))
                    .as("%s -> canceled", from)
                    .isTrue();
        }
    }

    @Test
    void reportingTheCurrentStatusAgainIsAllowed() {
        for (var status : TaskStatus.values()) {
            assertThat(status.canMoveTo(status)).isTrue();
        }
    }

    @Test
    void onlyQueuedAndRunningCountAsActive() {
        assertThat(EnumSet.allOf(TaskStatus.class).stream().filter(TaskStatus::isActive))
                .containsExactlyInAnyOrder(TaskStatus.QUEUED, TaskStatus.RUNNING);
    }
}
