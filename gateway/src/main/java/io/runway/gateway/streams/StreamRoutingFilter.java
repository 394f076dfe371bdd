package io.runway.gateway.streams;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Routes the routes with the metadata {@code h2c: true} as Spring Cloud Gateway's routing filter does, just ahead of
 * it, with an HTTP client of its own: over HTTP/2 cleartext (prior knowledge), many event streams sharing a connection
 * to their service, where over HTTP/1.1 each open stream holds a connection of its own. Every other route goes on to
 * Spring Cloud Gateway's routing filter and its shared client.
 */
public class StreamRoutingFilter extends NettyRoutingFilter implements DisposableBean {

    private final ConnectionProvider h2cPool;
    private final HttpClient h2c;

    StreamRoutingFilter(
            HttpClient httpClient,
            ObjectProvider<List<HttpHeadersFilter>> headersFilters,
            HttpClientProperties properties,
            List<HttpClientCustomizer> customizers,
            StreamUpstreamProperties streams) {
        super(httpClient, headersFilters, properties);
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
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null || !h2c(route)) {
            return chain.filter(exchange);
        }
        return super.filter(exchange, chain);
    }

    private static boolean h2c(Route route) {
        var value = route.getMetadata().get("h2c");
        return value != null && Boolean.parseBoolean(value.toString().trim());
    }

    @Override
    protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
        return h2c;
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
