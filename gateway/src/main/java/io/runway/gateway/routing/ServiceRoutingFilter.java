package io.runway.gateway.routing;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.runway.gateway.streams.ConnectionWindow;
import io.runway.gateway.streams.StreamUpstreamProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends every routed request to its service just ahead of Spring Cloud Gateway's routing filter, which then finds it
 * routed and passes (turned off, it takes the framework's response writer with it), with two differences:
 *
 * <ul>
 *   <li>the forwarded headers are written by {@link UpstreamRequestHeaders} and {@link UpstreamResponseHeaders}, one
 *       pass each way, in place of the framework's header filters, each of which copied all headers;
 *   <li>the routes with the metadata {@code h2c: true} (event streams) go over HTTP/2 cleartext (prior knowledge) with a
 *       client of their own, many streams sharing a connection to their service, where over HTTP/1.1 each open stream
 *       holds a connection of its own. Its buffers come from Netty's pooled allocator: a read of many DATA frames
 *       ends inside one, and the decoder's buffer that joins it to the next read outgrew what Netty's default
 *       (adaptive) allocator pools, so every such read allocated and zeroed a new direct buffer. Every other route
 *       uses the framework's shared client.
 * </ul>
 */
class ServiceRoutingFilter extends NettyRoutingFilter implements DisposableBean {

    private final List<HttpHeadersFilter> headersFilters;
    private final ConnectionProvider h2cPool;
    private final HttpClient h2c;

    ServiceRoutingFilter(
            HttpClient httpClient,
            ObjectProvider<List<HttpHeadersFilter>> unused,
            List<HttpHeadersFilter> headersFilters,
            HttpClientProperties properties,
            List<HttpClientCustomizer> customizers,
            StreamUpstreamProperties streams) {
        super(httpClient, unused, properties);
        this.headersFilters = List.copyOf(headersFilters);
        this.h2cPool = ConnectionProvider.builder("h2c")
                .maxConnections(streams.maxConnections())
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofMillis(properties.getPool().getAcquireTimeout()))
                .allocationStrategy(Http2AllocationStrategy.builder()
                        .maxConcurrentStreams(streams.streamsPerConnection())
                        .minConnections(1)
                        .maxConnections(streams.maxConnections())
                        .build())
                .build();
        var client = HttpClient.create(h2cPool)
                .protocol(HttpProtocol.H2C)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .doOnChannelInit((observer, channel, address) ->
                        ConnectionWindow.install(channel, streams.streamsPerConnection()));
        if (properties.getConnectTimeout() != null) {
            client = client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, properties.getConnectTimeout());
        }
        for (var customizer : customizers) {
            client = customizer.customize(client);
        }
        this.h2c = client;
    }

    @Override
    public List<HttpHeadersFilter> getHeadersFilters() {
        return headersFilters;
    }

    @Override
    protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
        return h2c(route) ? h2c : super.getHttpClient(route, exchange);
    }

    private static boolean h2c(Route route) {
        var value = route.getMetadata().get("h2c");
        return value != null && Boolean.parseBoolean(value.toString().trim());
    }

    @Override
    public int getOrder() {
        return NettyRoutingFilter.ORDER - 1;
    }

    @Override
    public void destroy() {
        h2cPool.dispose();
    }
}
