package io.runway.worker;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.Disposable;

/** Subscribes to the events channel and lets a test wait for a message that matches. */
final class RedisEvents implements AutoCloseable {

    private final ReactiveRedisMessageListenerContainer container;
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Disposable subscription;

    RedisEvents(ReactiveRedisConnectionFactory factory, String channel) {
        container = new ReactiveRedisMessageListenerContainer(factory);
        subscription = container
                .receiveLater(ChannelTopic.of(channel))
                .block(Duration.ofSeconds(5))
                .subscribe(message -> received.add(message.getMessage()));
    }

    String await(Predicate<String> matching) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            var message = received.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && matching.test(message)) {
                return message;
            }
        }
        throw new AssertionError("no matching event on the channel within 5 s");
    }

    @Override
    public void close() {
        subscription.dispose();
        container.destroy();
    }
}
