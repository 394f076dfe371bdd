package io.runway.run.stream;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Counts the flushes that reach the server's connections' sockets (an HTTP/1.1 connection's, or an HTTP/2
 * connection's, not its streams'): a test that imports it sees how many socket writes its events took.
 */
@TestConfiguration(proxyBeanMethods = false)
class ServerConnectionFlushes {

    private static final AtomicLong FLUSHES = new AtomicLong();

    static long total() {
        return FLUSHES.get();
    }

    @Bean
    NettyServerCustomizer countedConnectionFlushes() {
        var counter = new Counter();
        return server -> server.doOnChannelInit(
                (observer, channel, remoteAddress) -> channel.pipeline().addFirst("test.flushes", counter));
    }

    @Sharable
    private static final class Counter extends ChannelOutboundHandlerAdapter {

        @Override
        public void flush(ChannelHandlerContext ctx) throws Exception {
            if (!(ctx.channel() instanceof Http2StreamChannel)) {
                FLUSHES.incrementAndGet();
            }
            super.flush(ctx);
        }
    }
}
