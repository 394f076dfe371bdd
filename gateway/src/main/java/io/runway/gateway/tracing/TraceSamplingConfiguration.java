package io.runway.gateway.tracing;

import io.micrometer.observation.ObservationPredicate;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spans for sampled requests only (see {@link SampledServerRequests}), with the same share of traces recorded as Boot's
 * default sampler records ({@code management.tracing.sampling.probability}). Only while the gateway passes the trace
 * on itself ({@link ServerSpanPropagation}); with Spring Cloud Gateway's client observation on, every request keeps
 * its server span as before.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.cloud.gateway.server.webflux.observability.enabled", havingValue = "false")
class TraceSamplingConfiguration {

    @Bean
    ObservationPredicate sampledServerRequests(
            @Value("${management.tracing.sampling.probability:0.1}") double probability) {
        return new SampledServerRequests(probability);
    }

    @Bean
    Sampler sampledRootSpans(@Value("${management.tracing.sampling.probability:0.1}") double probability) {
        return Sampler.parentBased(new SampledRootSpans(probability));
    }
}
