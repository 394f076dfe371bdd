package io.runway.gateway.ratelimit;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.Transports;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * How the limiter reaches Redis. By default over Lettuce connections on the HTTP server's own event loops ({@link
 * LoopLocalScript}): an exact rule's Redis call is then answered on the thread that serves the request. With {@code
 * app.rate-limit.loop-local-redis: false}, or a Sentinel or Cluster setup, through Spring Data Redis (its shared
 * connection, answered on Lettuce's own thread).
 */
@Configuration(proxyBeanMethods = false)
class ScriptCallConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ScriptCallConfiguration.class);

    // Read once: a resource-backed script would check the file for changes on every call.
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SCRIPT = RedisScript.of(scriptText(), List.class);

    @Bean(destroyMethod = "close")
    ScriptCall slidingWindowScript(
            RateLimitProperties properties,
            LettuceConnectionFactory connections,
            ReactorResourceFactory resources,
            ReactiveStringRedisTemplate redis) {
        if (properties.loopLocalRedis()
                && !connections.isRedisSentinelAware()
                && !connections.isClusterAware()
                && sameTransport()) {
            var loops = new ArrayList<EventLoop>();
            resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE).forEach(executor -> {
                if (executor instanceof EventLoop loop) {
                    loops.add(loop);
                }
            });
            log.info("Rate-limit script runs over {} Redis connections on the server's event loops", loops.size());
            return new LoopLocalScript(
                    SCRIPT.getScriptAsString(),
                    SCRIPT.getSha1(),
                    uri(connections, properties),
                    properties.redisTimeout(),
                    loops);
        }
        return throughTemplate(redis);
    }

    static ScriptCall throughTemplate(ReactiveStringRedisTemplate redis) {
        return (keys, args) -> redis.execute(SCRIPT, Arrays.asList(keys), Arrays.asList(args))
                .next()
                .map(reply -> {
                    @SuppressWarnings("unchecked")
                    List<Object> list = reply;
                    return list;
                });
    }

    /** Lettuce's channels can live on the server's loops only if both chose the same transport (native or NIO). */
    private static boolean sameTransport() {
        boolean nativeLoops = LoopResources.DEFAULT_NATIVE && LoopResources.hasNativeSupport();
        boolean nativeLettuce = Transports.socketChannelClass() != NioSocketChannel.class;
        if (nativeLoops != nativeLettuce) {
            log.warn(
                    "Rate-limit script goes through Spring Data Redis: the server's event loops are {}, Lettuce's {}",
                    nativeLoops ? "native" : "NIO",
                    nativeLettuce ? "native" : "NIO");
        }
        return nativeLoops == nativeLettuce;
    }

    private static RedisURI uri(LettuceConnectionFactory connections, RateLimitProperties properties) {
        var standalone = connections.getStandaloneConfiguration();
        var uri = RedisURI.builder()
                .withHost(standalone.getHostName())
                .withPort(standalone.getPort())
                .withDatabase(standalone.getDatabase())
                .withSsl(connections.getClientConfiguration().isUseSsl())
                .withTimeout(properties.redisTimeout());
        if (standalone.getPassword().isPresent()) {
            uri.withAuthentication(
                    standalone.getUsername(), standalone.getPassword().get());
        }
        return uri.build();
    }

    private static String scriptText() {
        try (var in = new ClassPathResource("ratelimit/sliding_window.lua").getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
