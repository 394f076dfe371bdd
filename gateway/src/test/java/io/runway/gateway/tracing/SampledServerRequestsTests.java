package io.runway.gateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.runway.common.tracing.UnsampledTrace;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

class SampledServerRequestsTests {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aCallersSampledTraceIsObservedWhateverTheProbability() {
        var context = request("00-" + TRACE + "-00f067aa0ba902b7-01");

        assertThat(new SampledServerRequests(0).test("http.server.requests", context))
                .isTrue();
        assertThat(context.<UnsampledTrace>get(UnsampledTrace.class)).isNull();
    }

    @Test
    void aCallersUnsampledTraceIsNotObservedAndContinuedWithANewSpanId() {
        var context = request("00-" + TRACE + "-00f067aa0ba902b7-00");

        assertThat(new SampledServerRequests(1).test("http.server.requests", context))
                .isFalse();
        var trace = context.<UnsampledTrace>get(UnsampledTrace.class);
        assertThat(trace.traceId()).isEqualTo(TRACE);
        assertThat(trace.traceparent())
                .matches("00-" + TRACE + "-[0-9a-f]{16}-00")
                .doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void aRequestWithoutATraceIsObservedAtProbabilityOneAndStartsAnUnsampledTraceAtZero() {
        assertThat(new SampledServerRequests(1).test("http.server.requests", request(null)))
                .isTrue();

        var context = request(null);
        assertThat(new SampledServerRequests(0).test("http.server.requests", context))
                .isFalse();
        assertThat(context.<UnsampledTrace>get(UnsampledTrace.class).traceparent())
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
    }

    @Test
    void aMalformedOrInvalidTraceparentStartsATrace() {
        for (var invalid : List.of(
                "garbage", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-00", "ff-" + TRACE + "-00f067aa0ba902b7-00")) {
            var context = request(invalid);
            assertThat(new SampledServerRequests(0).test("http.server.requests", context))
                    .isFalse();
            assertThat(context.<UnsampledTrace>get(UnsampledTrace.class).traceId())
                    .isNotEqualTo(TRACE)
                    .hasSize(32);
        }
    }

    @Test
    void aServerSpanThatStartsATraceWasAlreadyDrawnOtherSpansAreDrawnAtTheProbability() {
        var sampler = new SampledRootSpans(0);

        assertThat(sampler.shouldSample(
                                Context.root(), TRACE, "http get", SpanKind.SERVER, Attributes.empty(), List.of())
                        .getDecision())
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(sampler.shouldSample(Context.root(), TRACE, "query", SpanKind.CLIENT, Attributes.empty(), List.of())
                        .getDecision())
                .isEqualTo(SamplingDecision.DROP);
    }

    private static ServerRequestObservationContext request(String traceparent) {
        var request = MockServerHttpRequest.get("/api/v1/worker/tasks");
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return new ServerRequestObservationContext(request.build(), new MockServerHttpResponse(), new HashMap<>());
    }
}
