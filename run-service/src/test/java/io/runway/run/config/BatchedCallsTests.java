package io.runway.run.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class BatchedCallsTests {

    final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    final Sinks.Empty<Void> release = Sinks.empty();

    /** Doubles each item; the first batch waits for {@link #release} so that later items queue behind it. */
    BatchedCalls<Integer, Integer> calls(int maxBatch, boolean failOnSeven) {
        return new BatchedCalls<>(
                "test",
                maxBatch,
                1,
                items -> {
                    batches.add(List.copyOf(items));
                    var answer = Mono.fromCallable(() -> {
                        if (failOnSeven && items.contains(7)) {
                            throw new IllegalArgumentException("seven is not allowed");
                        }
                        return items.stream()
                                .map(i -> i % 2 == 0 ? Optional.of(i * 2) : Optional.<Integer>empty())
                                .toList();
                    });
                    return batches.size() == 1 ? release.asMono().then(answer) : answer;
                },
                new SimpleMeterRegistry());
    }

    @Test
    void aLoneItemIsCalledAtOnceAndWhatQueuesBehindItGoesTogetherInOrder() {
        var calls = calls(100, false);
        var results = new ArrayList<Mono<Integer>>();
        for (int i = 0; i < 6; i++) {
            results.add(calls.submit(i).cache());
            results.get(i).subscribe();
        }

        assertThat(batches).containsExactly(List.of(0));
        release.tryEmitEmpty();

        assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3, 4, 5));
        assertThat(Flux.concat(results.stream()
                                .map(r -> r.map(String::valueOf).defaultIfEmpty("-"))
                                .toList())
                        .collectList()
                        .block(Duration.ofSeconds(5)))
                .containsExactly("0", "-", "4", "-", "8", "-");
    }

    @Test
    void noBatchIsLargerThanItsLimit() {
        var calls = calls(2, false);
        for (int i = 0; i < 6; i++) {
            calls.submit(i).subscribe();
        }
        release.tryEmitEmpty();

        assertThat(batches).containsExactly(List.of(0), List.of(1, 2), List.of(3, 4), List.of(5));
    }

    @Test
    void whenABatchFailsEachItemIsCalledAloneAndOnlyTheBadOneFails() {
        var calls = calls(100, true);
        calls.submit(0).subscribe();
        var good = calls.submit(6).cache();
        var bad = calls.submit(7)
                .map(String::valueOf)
                .onErrorResume(e -> Mono.just(e.getMessage()))
                .cache();
        var other = calls.submit(8).cache();
        Flux.merge(good, bad, other).subscribe();
        release.tryEmitEmpty();

        assertThat(good.block(Duration.ofSeconds(5))).isEqualTo(12);
        assertThat(bad.block(Duration.ofSeconds(5))).isEqualTo("seven is not allowed");
        assertThat(other.block(Duration.ofSeconds(5))).isEqualTo(16);
        assertThat(batches).containsExactly(List.of(0), List.of(6, 7, 8), List.of(6), List.of(7), List.of(8));
    }
}
