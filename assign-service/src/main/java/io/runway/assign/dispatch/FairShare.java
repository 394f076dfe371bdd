package io.runway.assign.dispatch;

import java.util.Arrays;

/**
 * Max-min fair split of free slots among requests (water-filling): every request gets an equal share, a request that
 * needs less than its share gives the rest to the others, and the slots that do not divide evenly go one each to the
 * requests in rotation order, which the caller turns from round to round.
 */
final class FairShare {

    private FairShare() {}

    /** How many of {@code slots} each request gets, given what each has waiting (in rotation order). */
    static int[] allocate(long[] waiting, int slots) {
        var n = waiting.length;
        var shares = new int[n];
        if (n == 0 || slots <= 0) {
            return shares;
        }
        long low = 0;
        long high = Arrays.stream(waiting).max().orElse(0);
        while (low < high) {
            var level = (low + high + 1) / 2;
            if (filled(waiting, level) <= slots) {
                low = level;
            } else {
                high = level - 1;
            }
        }
        var remaining = slots;
        for (int i = 0; i < n; i++) {
            shares[i] = (int) Math.min(waiting[i], low);
            remaining -= shares[i];
        }
        for (int i = 0; i < n && remaining > 0; i++) {
            if (shares[i] < waiting[i]) {
                shares[i]++;
                remaining--;
            }
        }
        return shares;
    }

    private static long filled(long[] waiting, long level) {
        long sum = 0;
        for (var w : waiting) {
            sum += Math.min(w, level);
        }
        return sum;
    }

    static long total(int[] shares) {
        return Arrays.stream(shares).asLongStream().sum();
    }
}
