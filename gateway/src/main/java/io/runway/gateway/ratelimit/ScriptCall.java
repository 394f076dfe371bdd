package io.runway.gateway.ratelimit;

import java.util.List;
import reactor.core.publisher.Mono;

/** One call of the sliding-window script in Redis: its reply for these keys and arguments. */
@FunctionalInterface
interface ScriptCall extends AutoCloseable {

    Mono<List<Object>> run(String[] keys, String... args);

    @Override
    default void close() {}
}
