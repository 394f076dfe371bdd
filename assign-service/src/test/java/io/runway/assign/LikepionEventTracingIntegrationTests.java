package io.runway.assign;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Tracer;
import io.runway.assign.event.EventSubscriber;
import io.runway.common.likepion.LikepionEvent;
import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;

/**
 * LIKEPION events carry their publisher's trace through Redis: the subscriber handles an event in that trace, and an
 * event without one (an older publisher's) is handled as before.
 */
class LikepionEventTracingIntegrationTests extends AssignApiTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Autowired
    EventSubscriber subscriber;

    @Autowired
    Tracer tracer;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Value("${app.redis.key-prefix}")
    String prefix;

    /** What the subscriber saw: the event, the trace id in the log context and that of the current span. */
    record Handled(LikepionEvent event, String loggedTraceId, String spanTraceId) {}

    @Test
    void anEventPublishedInATracedRequestIsHandledInThatTrace() {
        var server = data.server("traced", "tool", 5, 0);
        var handled = new CopyOnWriteArrayList<Handled>();
        var subscription = subscriber.handle(event -> handled.add(handledNow(event)));
        try {
            Polling.until(Duration.ofSeconds(10), () -> !handled.isEmpty(), () -> client.put()
                    .uri("/api/v1/admin/servers/" + server)
                    .header("X-Internal-Token", TestTokens.admin())
                    .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("max_threads", 4))
                    .exchange()
                    .expectStatus()
                    .isOk());
        } finally {
            subscription.dispose();
        }

        var first = handled.get(0);
        assertThat(first.event().type()).isEqualTo(LikepionEvent.SERVER_CHANGED);
        assertThat(first.event().serverId()).isEqualTo(server);
        assertThat(first.loggedTraceId()).isEqualTo(TRACE_ID);
        assertThat(first.spanTraceId()).isEqualTo(TRACE_ID);
    }

    @Test
    void anEventWithoutTraceContextIsStillHandled() {
        var server = UUID.randomUUID();
        var bare = "{\"type\":\"heartbeat\",\"server_id\":\"" + server + "\",\"at\":\"" + Instant.now() + "\"}";
        var handled = new CopyOnWriteArrayList<Handled>();
        var subscription = subscriber.handle(event -> handled.add(handledNow(event)));
        try {
            Polling.until(Duration.ofSeconds(10), () -> !handled.isEmpty(), () -> redis.convertAndSend(
                            prefix + "likepion:events", bare)
                    .block());
        } finally {
            subscription.dispose();
        }

        assertThat(handled)
                .extracting(Handled::event)
                .extracting(LikepionEvent::type, LikepionEvent::serverId)
                .containsOnly(Tuple.tuple(LikepionEvent.HEARTBEAT, server));
        assertThat(handled).extracting(Handled::loggedTraceId).containsOnlyNulls();
        assertThat(handled).extracting(Handled::spanTraceId).containsOnlyNulls();
    }

    private Handled handledNow(LikepionEvent event) {
        var span = tracer.currentSpan();
        return new Handled(
                event, MDC.get("traceId"), span == null ? null : span.context().traceId());
    }
}
