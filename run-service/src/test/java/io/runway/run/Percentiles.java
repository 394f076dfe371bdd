package io.runway.run;

import java.util.List;

/** Nearest-rank percentiles of samples sorted ascending, for the figures benchmarks print. */
public final class Percentiles {

    private Percentiles() {}

    /** The sample at percentile {@code p} (0 &lt; p &le; 1) of {@code sorted}, which is not empty. */
    public static <T> T of(List<T> sorted, double p) {
        return sorted.get(index(sorted.size(), p));
    }

    /** The sample at percentile {@code p} (0 &lt; p &le; 1) of {@code sorted}, which is not empty. */
    public static long of(long[] sorted, double p) {
        return sorted[index(sorted.length, p)];
    }

    private static int index(int size, double p) {
        return Math.max(1, (int) Math.ceil(p * size)) - 1;
    }
}
