package io.runway.run.runs;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place where engine states get the names each API face uses (see docs/run-engine.md, "State names").
 *
 * <p>Seed 000 (SocialKing) lists {@code pending|running|success|failed|canceled|skipped} for history, and its SSE
 * example ends with {@code completed}. Seed 003 (generic) shows {@code pending} and counts steps as {@code
 * completedCount}/{@code failedCount}/{@code pendingCount}/{@code runningCount}, so its success state is {@code
 * completed}.
 */
public final class StatusNames {

    /** Who the name is for. */
    public enum Face {
        SOCIALKING,
        SOCIALKING_SSE,
        GENERIC
    }

    private static final Map<Face, Map<StepStatus, String>> NAMES = new EnumMap<>(Face.class);

    static {
        for (var face : Face.values()) {
            var names = new EnumMap<StepStatus, String>(StepStatus.class);
            for (var status : StepStatus.values()) {
                names.put(status, status.db());
            }
            if (face != Face.SOCIALKING) {
                names.put(StepStatus.SUCCESS, "completed");
            }
            NAMES.put(face, names);
        }
    }

    private StatusNames() {}

    public static String run(RunStatus status, Face face) {
        return NAMES.get(face).get(StepStatus.valueOf(status.name()));
    }

    public static String step(StepStatus status, Face face) {
        return NAMES.get(face).get(status);
    }

    /** The run-status names a face accepts as a filter (every run state, plus {@code skipped} for SocialKing). */
    public static List<String> runFilterNames(Face face) {
        var names = new ArrayList<String>();
        for (var status : RunStatus.values()) {
            names.add(run(status, face));
        }
        if (face == Face.SOCIALKING) {
            names.add("skipped");
        }
        return names;
    }

    /** The engine states a face's filter name selects; empty for names no run can have (SocialKing's skipped). */
    public static Set<RunStatus> parseRunFilter(String name, Face face) {
        for (var status : RunStatus.values()) {
            if (run(status, face).equals(name)) {
                return Set.of(status);
            }
        }
        return Set.of();
    }
}
