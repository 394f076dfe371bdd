package io.runway.gateway.streams;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.http.client.HttpClient;

/** The HTTP/2 cleartext routing of stream routes, ahead of Spring Cloud Gateway's routing filter. */
@Configuration(proxyBeanMethods = false)
class StreamRoutingConfiguration {

    @Bean
    StreamRoutingFilter streamRoutingFilter(
            HttpClient httpClient,
            ObjectProvider<List<HttpHeadersFilter>> headersFilters,
            HttpClientProperties properties,
            ObjectProvider<HttpClientCustomizer> customizers,
            StreamUpstreamProperties streams) {
        return new StreamRoutingFilter(
                httpClient,
                headersFilters,
                properties,
                customizers.orderedStream().toList(),
                streams);
    }
}
