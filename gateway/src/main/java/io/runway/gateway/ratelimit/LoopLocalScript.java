package io.runway.gateway.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * Runs one Lua script over a Lettuce connection per event loop, each registered on its own loop, so that a call made
 * on a loop is written, answered and continued on that loop's thread: no hand-over to Lettuce's own threads and back.
 * Calls made elsewhere use the first loop's connection. {@code EVALSHA} first, {@code EVAL} when Redis does not know
 * the script (after a restart or {@code SCRIPT FLUSH}). While Redis is away, calls fail at once (commands are rejected
 * while disconnected, every command times out after the given budget) and Lettuce reconnects in the background.
 */
final class LoopLocalScript implements ScriptCall {

    private static final Duration RETRY_CONNECT_AFTER = Duration.ofSeconds(1);

    private final String script;
    private final String sha;
    private final ClientResources shared;
    private final List<Slot> slots = new ArrayList<>();

    LoopLocalScript(String script, String sha, RedisURI uri, Duration timeout, Iterable<EventLoop> loops) {
        this.script = script;
        this.sha = sha;
        this.shared = ClientResources.builder()
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        var options = ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(1))
                        .build())
                .build();
        for (var loop : loops) {
            var client = RedisClient.create(
                    shared.mutate().eventLoopGroupProvider(new OneLoop(loop)).build(), uri);
            client.setOptions(options);
            slots.add(new Slot(loop, client, uri));
        }
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("no event loops");
        }
        slots.forEach(Slot::connect);
    }

    @Override
    public Mono<List<Object>> run(String[] keys, String... args) {
        var slot = current();
        var commands = slot.commands;
        if (commands != null) {
            return call(commands, keys, args);
        }
        return Mono.fromFuture(slot.connect(), true).flatMap(connection -> call(connection.async(), keys, args));
    }

    private Mono<List<Object>> call(RedisAsyncCommands<String, String> commands, String[] keys, String[] args) {
        return Mono.fromCompletionStage(commands.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args))
                .onErrorResume(
                        RedisNoScriptException.class,
                        e -> Mono.fromCompletionStage(
                                commands.<List<Object>>eval(script, ScriptOutputType.MULTI, keys, args)));
    }

    private Slot current() {
        for (int i = 1; i < slots.size(); i++) {
            var slot = slots.get(i);
            if (slot.loop.inEventLoop()) {
                return slot;
            }
        }
        return slots.get(0);
    }

    @Override
    public void close() {
        slots.forEach(Slot::close);
        shared.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** One loop's connection: connected at start, again on demand after a failed first connect (Redis was down). */
    private static final class Slot {

        final EventLoop loop;
        final RedisClient client;
        final RedisURI uri;
        volatile RedisAsyncCommands<String, String> commands;
        private CompletableFuture<StatefulRedisConnection<String, String>> connecting;
        private long retryAt;

        Slot(EventLoop loop, RedisClient client, RedisURI uri) {
            this.loop = loop;
            this.client = client;
            this.uri = uri;
        }

        synchronized CompletableFuture<StatefulRedisConnection<String, String>> connect() {
            long now = System.nanoTime();
            if (connecting != null && (!connecting.isCompletedExceptionally() || now - retryAt < 0)) {
                return connecting;
            }
            retryAt = now + RETRY_CONNECT_AFTER.toNanos();
            connecting = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
            connecting.thenAccept(connection -> commands = connection.async());
            return connecting;
        }

        void close() {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Lettuce's view of one loop it does not own: every channel goes to that loop, and closing leaves it running. */
    private record OneLoop(EventLoop loop) implements EventLoopGroupProvider {

        @Override
        @SuppressWarnings("unchecked")
        public <T extends EventLoopGroup> T allocate(Class<T> type) {
            return (T) loop;
        }

        @Override
        public int threadPoolSize() {
            return 1;
        }

        @Override
        public Future<Boolean> release(EventExecutorGroup group, long quiet, long timeout, TimeUnit unit) {
            return loop.newSucceededFuture(true);
        }

        @Override
        public Future<Boolean> shutdown(long quiet, long timeout, TimeUnit unit) {
            return loop.newSucceededFuture(true);
        }
    }
}
