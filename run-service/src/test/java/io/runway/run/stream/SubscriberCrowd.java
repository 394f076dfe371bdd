package io.runway.run.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Many SSE subscribers in a process of their own (one process may not hold both sides of 10,000 connections): opens
 * {@code count} streams at once, spread round-robin over the given paths, each resuming after {@code lastEventId}, and
 * checks that every stream gets consecutive event ids until the server ends it. Prints one line:
 * {@code CROWD opened=N ended=N failed=N gaps=N last=<path index>:<lowest last id>-<highest last id>,...}.
 *
 * <p>Arguments: base URL, internal token, Last-Event-ID, count, seconds to wait, then the stream paths.
 */
public final class SubscriberCrowd {

    private SubscriberCrowd() {}

    /** Starts a crowd against a server on this machine, in a JVM of its own, its output going to {@code output}. */
    public static Process start(
            int port, String token, long lastEventId, int count, int seconds, List<String> paths, Path output)
            throws IOException {
        var command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dlogback.configurationFile=subscriber-crowd-logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                SubscriberCrowd.class.getName(),
                "http://127.0.0.1:" + port,
                token,
                Long.toString(lastEventId),
                Integer.toString(count),
                Integer.toString(seconds)));
        command.addAll(paths);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    public static void main(String[] args) throws InterruptedException {
        var base = args[0];
        var token = args[1];
        long lastEventId = Long.parseLong(args[2]);
        int count = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        var paths = List.of(args).subList(5, args.length);

        var loops = LoopResources.create("crowd", 2, true);
        var client = HttpClient.create(ConnectionProvider.newConnection())
                .runOn(loops)
                .baseUrl(base)
                .responseTimeout(Duration.ofSeconds(seconds))
                .headers(headers -> headers.set("X-Internal-Token", token)
                        .set("Last-Event-ID", Long.toString(lastEventId))
                        .set("Accept", "text/event-stream"));
        var subscribers = new ArrayList<Subscriber>(count);
        var done = new CountDownLatch(count);
        var opened = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            var subscriber = new Subscriber(i % paths.size(), lastEventId);
            subscribers.add(subscriber);
            client.get()
                    .uri(paths.get(subscriber.path))
                    .response((response, body) -> {
                        if (response.status().code() != 200) {
                            subscriber.failed = true;
                            return body.then();
                        }
                        opened.incrementAndGet();
                        return body.asString(StandardCharsets.UTF_8)
                                .doOnNext(subscriber::read)
                                .then();
                    })
                    .doFinally(signal -> done.countDown())
                    .subscribe(null, error -> subscriber.failed = true, () -> subscriber.ended = true);
        }
        boolean allDone = done.await(seconds, TimeUnit.SECONDS);
        System.out.println(summary(subscribers, paths.size(), opened.get(), allDone));
        loops.disposeLater().block(Duration.ofSeconds(5));
        System.exit(0);
    }

    private static String summary(List<Subscriber> subscribers, int paths, int opened, boolean allDone) {
        long[] lowest = new long[paths];
        long[] highest = new long[paths];
        java.util.Arrays.fill(lowest, Long.MAX_VALUE);
        int ended = 0;
        int failed = 0;
        int gaps = 0;
        for (var subscriber : subscribers) {
            ended += subscriber.ended && !subscriber.failed ? 1 : 0;
            failed += subscriber.failed ? 1 : 0;
            gaps += subscriber.gaps;
            lowest[subscriber.path] = Math.min(lowest[subscriber.path], subscriber.last);
            highest[subscriber.path] = Math.max(highest[subscriber.path], subscriber.last);
        }
        var last = new StringBuilder();
        for (int i = 0; i < paths; i++) {
            last.append(i == 0 ? "" : ",")
                    .append(i)
                    .append(':')
                    .append(lowest[i])
                    .append('-')
                    .append(highest[i]);
        }
        return "CROWD opened=%d ended=%d failed=%d gaps=%d timedOut=%s last=%s"
                .formatted(opened, ended, failed, gaps, !allDone, last);
    }

    /** One stream: the last id it got, how many ids were not the one after the last, and how it ended. */
    private static final class Subscriber {

        final int path;
        long last;
        int gaps;
        volatile boolean ended;
        volatile boolean failed;
        private String partial = "";

        Subscriber(int path, long lastEventId) {
            this.path = path;
            this.last = lastEventId;
        }

        void read(String chunk) {
            var text = partial + chunk;
            int start = 0;
            int newline;
            while ((newline = text.indexOf('\n', start)) >= 0) {
                var line = text.substring(start, newline);
                if (line.startsWith("id:")) {
                    long id = Long.parseLong(line.substring(3).trim());
                    if (id != last + 1) {
                        gaps++;
                    }
                    last = id;
                }
                start = newline + 1;
            }
            partial = text.substring(start);
        }
    }
}
