package io.runway.worker.task;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The statuses of a link (task) and the moves a worker may make between them: forward along
 * {@code pending → queued → running → completed | failed} or {@code connect → connecting → completed | failed}
 * (skipping a step forward is allowed), {@code failed → pending} (a retry, while retries remain), and
 * {@code canceled} from any unfinished status. Reporting the current status again is an idempotent update.
 */
enum TaskStatus {
    PENDING,
    QUEUED,
    RUNNING,
    CONNECT,
    CONNECTING,
    COMPLETED,
    FAILED,
    CANCELED;

    private static final Map<String, TaskStatus> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toMap(TaskStatus::wire, Function.identity()));

    private static final Map<TaskStatus, Set<TaskStatus>> MOVES = Map.of(
            PENDING, EnumSet.of(QUEUED, RUNNING, COMPLETED, FAILED, CANCELED),
            QUEUED, EnumSet.of(RUNNING, COMPLETED, FAILED, CANCELED),
            RUNNING, EnumSet.of(COMPLETED, FAILED, CANCELED),
            CONNECT, EnumSet.of(CONNECTING, COMPLETED, FAILED, CANCELED),
            CONNECTING, EnumSet.of(COMPLETED, FAILED, CANCELED),
            FAILED, EnumSet.of(PENDING, CANCELED),
            COMPLETED, EnumSet.noneOf(TaskStatus.class),
            CANCELED, EnumSet.noneOf(TaskStatus.class));

    /** Statuses counted in {@code servers.active_tasks}. */
    private static final Set<TaskStatus> ACTIVE = EnumSet.of(QUEUED, RUNNING);

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<TaskStatus> parse(String value) {
        return Optional.ofNullable(value).map(BY_WIRE::get);
    }

    boolean canMoveTo(TaskStatus target) {
        return target == this || MOVES.get(this).contains(target);
    }

    boolean isActive() {
        return ACTIVE.contains(this);
    }

    boolean startsWork() {
        return this == RUNNING || this == CONNECTING;
    }

    boolean finishes() {
        return this == COMPLETED || this == FAILED;
    }
}
