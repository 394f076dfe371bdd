package io.runway.gateway.warmup;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Tells when the JIT compiler has settled: fed the compiler's accumulated time once a second, it answers true once
 * the compiler spent less than {@code share} of the last {@code window} compiling.
 */
final class CompilerSettling {

    private record Sample(long atMillis, long compilingMillis) {}

    private final long windowMillis;
    private final double share;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    CompilerSettling(Duration window, double share) {
        this.windowMillis = window.toMillis();
        this.share = share;
    }

    boolean settled(long atMillis, long compilingMillis) {
        samples.addLast(new Sample(atMillis, compilingMillis));
        while (samples.size() > 1 && atMillis - samples.peekFirst().atMillis() > windowMillis) {
            samples.removeFirst();
        }
        var oldest = samples.peekFirst();
        long spanned = atMillis - oldest.atMillis();
        // a window not yet covered says nothing: the first seconds can look quiet before the hot paths are hot
        if (spanned < windowMillis * 9 / 10) {
            return false;
        }
        return compilingMillis - oldest.compilingMillis() < share * spanned;
    }
}
