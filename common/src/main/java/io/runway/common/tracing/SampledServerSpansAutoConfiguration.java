package io.runway.common.tracing;

import io.micrometer.observation.ObservationPredicate;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;

/**
 * Spans for sampled requests only ({@link SampledServerRequests}), with the same share of traces recorded as Boot's
 * default sampler records ({@code management.tracing.sampling.probability}), in a service that sets {@code
 * app.tracing.sampled-server-spans: true}. Not in a gateway whose own client observation is on (Spring Cloud Gateway
 * then passes the trace on from the server span, so every request keeps one).
 */
@AutoConfiguration(
        beforeName =
                "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
@ConditionalOnClass({ObservationPredicate.class, Sampler.class})
@ConditionalOnExpression(
        "${app.tracing.sampled-server-spans:false} and !${spring.cloud.gateway.server.webflux.observability.enabled:false}")
public class SampledServerSpansAutoConfiguration {

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
