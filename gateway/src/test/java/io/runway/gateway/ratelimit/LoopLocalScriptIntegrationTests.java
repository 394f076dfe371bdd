package io.runway.gateway.ratelimit;

import io.lettuce.core.RedisURI;
import io.netty.channel.EventLoop;
import io.runway.common.testsupport.TestInfrastructure;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;
import reactor.test.StepVerifier;

/** The script over connections that live on given event loops, against the real Redis. */
class LoopLocalScriptIntegrationTests {

    static LoopResources resources;
    static List<EventLoop> loops = new ArrayList<>();

    @BeforeAll
    static void loops() {
        resources = LoopResources.create("loop-local-test", 2, true);
        resources.onServer(LoopResources.DEFAULT_NATIVE).forEach(executor -> loops.add((EventLoop) executor));
    }

    @AfterAll
    static void dispose() {
        resources.dispose();
    }

    @Test
    void aCallMadeOnALoopIsAnsweredOnThatLoop() throws Exception {
        var script = "return {1, ARGV[1]}";
        try (var call = new LoopLocalScript(script, sha(script), redis(), Duration.ofSeconds(2), loops)) {
            for (var loop : loops) {
                var thread = loop.submit(Thread::currentThread).get();

                StepVerifier.create(Mono.defer(() -> call.run(new String[] {"k"}, "x"))
                                .subscribeOn(Schedulers.fromExecutor(loop))
                                .map(reply -> Thread.currentThread()))
                        .expectNext(thread)
                        .verifyComplete();
            }
        }
    }

    @Test
    void aScriptRedisDoesNotKnowYetIsSentWhole() {
        // a script text no one ran before: EVALSHA answers NOSCRIPT, EVAL runs it
        var script = "-- " + UUID.randomUUID() + "\nreturn {7, KEYS[1]}";
        try (var call = new LoopLocalScript(script, sha(script), redis(), Duration.ofSeconds(2), loops)) {
            StepVerifier.create(call.run(new String[] {"key"}))
                    .expectNext(List.of(7L, "key"))
                    .verifyComplete();
            StepVerifier.create(call.run(new String[] {"again"}))
                    .expectNext(List.of(7L, "again"))
                    .verifyComplete();
        }
    }

    @Test
    void withoutRedisACallFailsAtOnce() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var nowhere = RedisURI.create("127.0.0.1", closedPort);
        var script = "return 1";
        try (var call = new LoopLocalScript(script, sha(script), nowhere, Duration.ofMillis(250), loops)) {
            StepVerifier.create(call.run(new String[] {"k"})).expectError().verify(Duration.ofSeconds(2));
        }
    }

    private static RedisURI redis() {
        var server = TestInfrastructure.redis();
        return RedisURI.create(server.host(), server.port());
    }

    private static String sha(String script) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
