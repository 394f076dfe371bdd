package io.runway.assign.feed;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Links completed per request over a sliding window, counted from {@code link.status} events as this instance
 * receives them: right after a start it reads low until one window has passed.
 */
final class CompletionRates {

    private final Clock clock;
    private final long windowMillis;
    private final Map<UUID, ArrayDeque<Long>> completions = new HashMap<>();

    CompletionRates(Clock clock, Duration window) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
    }

    synchronized void completed(UUID requestId) {
        completions.computeIfAbsent(requestId, id -> new ArrayDeque<>()).addLast(clock.millis());
    }

    /** Completions per minute of every request that had one within the window. */
    synchronized Map<UUID, Double> perMinute() {
        var since = clock.millis() - windowMillis;
        var rates = new HashMap<UUID, Double>();
        var perMinute = 60_000.0 / windowMillis;
        completions.values().forEach(times -> {
            while (!times.isEmpty() && times.peekFirst() <= since) {
                times.removeFirst();
            }
        });
        completions.values().removeIf(ArrayDeque::isEmpty);
        completions.forEach((id, times) -> rates.put(id, Math.round(times.size() * perMinute * 10) / 10.0));
        return rates;
    }
}
