package io.runway.common.likepion;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.tracing.TraceHeaders;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class LikepionMessageTests {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final JsonMapper json = JsonMapper.builder().build();
    private final LikepionEvent event = LikepionEvent.linkStatus(
            UUID.randomUUID(), UUID.randomUUID(), null, "queued", 12L, Instant.parse("2026-12-05T10:00:00Z"));

    @Test
    void theTraceContextTravelsNextToTheEventsFieldsAndOnlyThere() {
        var text = json.writeValueAsString(LikepionMessage.of(event, TraceHeaders.of(TRACEPARENT, "vendor=x")));

        assertThat(text)
                .isEqualTo(json.writeValueAsString(event).replaceFirst("}$", "") + ",\"traceparent\":\"" + TRACEPARENT
                        + "\",\"tracestate\":\"vendor=x\"}");
        var read = json.readValue(text, LikepionMessage.class);
        assertThat(read.event()).isEqualTo(event);
        assertThat(read.trace()).isEqualTo(new TraceHeaders(TRACEPARENT, "vendor=x"));
        assertThat(json.readValue(text, LikepionEvent.class)).isEqualTo(event);
    }

    @Test
    void aMessageWithoutTraceContextIsTheBareEvent() {
        var bare = json.writeValueAsString(event);

        assertThat(json.writeValueAsString(LikepionMessage.of(event, null))).isEqualTo(bare);
        var read = json.readValue(bare, LikepionMessage.class);
        assertThat(read.event()).isEqualTo(event);
        assertThat(read.trace()).isNull();
    }

    @Test
    void aMalformedTraceparentIsIgnored() {
        var text = json.writeValueAsString(event).replaceFirst("}$", ",\"traceparent\":\"nonsense\"}");

        var read = json.readValue(text, LikepionMessage.class);
        assertThat(read.event()).isEqualTo(event);
        assertThat(read.trace()).isNull();
    }

    @Test
    void theContextNamesItsTraceParentSpanAndSampling() {
        var trace = TraceHeaders.of(TRACEPARENT, null);

        assertThat(trace.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(trace.spanId()).isEqualTo("b7ad6b7169203331");
        assertThat(trace.sampled()).isTrue();
        assertThat(TraceHeaders.of(TRACEPARENT.replaceFirst("01$", "00"), null).sampled())
                .isFalse();
    }
}
