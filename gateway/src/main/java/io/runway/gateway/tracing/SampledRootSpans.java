package io.runway.gateway.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * The root sampler behind the parent-based one: a server span that starts a trace is recorded, since
 * {@link SampledServerRequests} already drew it at the configured probability (drawing again would sample the square of
 * it); any other span that starts a trace is drawn by its trace id at that probability, as by Boot's default sampler.
 */
final class SampledRootSpans implements Sampler {

    private final Sampler others;

    SampledRootSpans(double probability) {
        this.others = Sampler.traceIdRatioBased(probability);
    }

    @Override
    public SamplingResult shouldSample(
            Context parentContext,
            String traceId,
            String name,
            SpanKind spanKind,
            Attributes attributes,
            List<LinkData> parentLinks) {
        if (spanKind == SpanKind.SERVER) {
            return SamplingResult.recordAndSample();
        }
        return others.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "SampledRootSpans{servers drawn per request, others " + others.getDescription() + "}";
    }
}
