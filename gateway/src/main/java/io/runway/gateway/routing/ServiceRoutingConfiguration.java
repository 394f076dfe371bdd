package io.runway.gateway.routing;

import io.runway.gateway.auth.ForwardedIdentity;
import io.runway.gateway.streams.StreamUpstreamProperties;
import io.runway.gateway.tracing.ServerSpanPropagation;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TransferEncodingNormalizationHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import reactor.netty.http.client.HttpClient;

/**
 * The gateway's routing filter, with the forwarded headers written in one pass: Spring Cloud Gateway's header filters
 * whose work {@link UpstreamRequestHeaders} and {@link UpstreamResponseHeaders} do are left out of its list; any other
 * (the framework's client observation, or its {@code X-Forwarded-*} filters when trusted proxies are set) runs after
 * them as before.
 */
@Configuration(proxyBeanMethods = false)
class ServiceRoutingConfiguration {

    @Bean
    ServiceRoutingFilter serviceRoutingFilter(
            HttpClient httpClient,
            ObjectProvider<List<HttpHeadersFilter>> headersFilters,
            RemoveHopByHopHeadersFilter hopByHop,
            ForwardedIdentity identity,
            ObjectProvider<ServerSpanPropagation> trace,
            HttpClientProperties properties,
            ObjectProvider<HttpClientCustomizer> customizers,
            StreamUpstreamProperties streams) {
        var framework = headersFilters.getIfAvailable(List::of);
        var hopByHopHeaders = new HopByHop(hopByHop.getHeaders());
        var removed = new UpstreamRequestHeaders.Removed(
                hopByHopHeaders,
                framework.stream().anyMatch(RemoveForwardedHeadersFilter.class::isInstance),
                framework.stream().anyMatch(RemoveXForwardedHeadersFilter.class::isInstance));
        var filters = new ArrayList<HttpHeadersFilter>();
        filters.add(new UpstreamRequestHeaders(removed, identity, trace.getIfAvailable()));
        filters.add(new UpstreamResponseHeaders(hopByHopHeaders));
        framework.stream().filter(filter -> !replaced(filter)).forEach(filters::add);
        filters.sort(AnnotationAwareOrderComparator.INSTANCE);
        return new ServiceRoutingFilter(
                httpClient,
                headersFilters,
                filters,
                properties,
                customizers.orderedStream().toList(),
                streams);
    }

    private static boolean replaced(HttpHeadersFilter filter) {
        return filter instanceof RemoveHopByHopHeadersFilter
                || filter instanceof RemoveForwardedHeadersFilter
                || filter instanceof RemoveXForwardedHeadersFilter
                || filter instanceof TransferEncodingNormalizationHeadersFilter;
    }
}
