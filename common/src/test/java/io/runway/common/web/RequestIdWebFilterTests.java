package io.runway.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RequestIdWebFilterTests {

    static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void aNewIdIsARandomVersion4UuidThatServicesAccept() {
        var ids = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            var id = RequestIds.newId();
            assertThat(id).matches(UUID_V4);
            assertThat(RequestIds.acceptOrCreate(id)).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void theIdIsSetOnTheRequestAndKeptAsAnAttribute() {
        var seen = filter(new RequestIdWebFilter(false, true), MockServerHttpRequest.get("/x"));
        var id = RequestIds.of(seen);
        assertThat(id).matches(UUID_V4);
        assertThat(seen.getRequest().getHeaders().getFirst(RequestIds.HEADER)).isEqualTo(id);
        assertThat(seen.getResponse().getHeaders().getFirst(RequestIds.HEADER)).isEqualTo(id);
    }

    @Test
    void withoutSettingItOnTheRequestTheRequestIsNotCopiedAndTheIdIsStillKnownAndAnswered() {
        var original =
                MockServerWebExchange.from(MockServerHttpRequest.get("/x").header("X-Other", "1"));
        var seen = filter(new RequestIdWebFilter(false, false), original);
        assertThat(seen.getRequest()).isSameAs(original.getRequest());
        assertThat(seen.getRequest().getHeaders().getFirst(RequestIds.HEADER)).isNull();
        var id = RequestIds.of(seen);
        assertThat(id).matches(UUID_V4);
        assertThat(seen.getResponse().getHeaders().getFirst(RequestIds.HEADER)).isEqualTo(id);
    }

    @Test
    void aWellFormedIdFromTheCallerIsKept() {
        var seen = filter(
                new RequestIdWebFilter(false, false),
                MockServerHttpRequest.get("/x").header(RequestIds.HEADER, "req-42"));
        assertThat(RequestIds.of(seen)).isEqualTo("req-42");
        assertThat(seen.getResponse().getHeaders().getFirst(RequestIds.HEADER)).isEqualTo("req-42");
    }

    private static ServerWebExchange filter(RequestIdWebFilter filter, MockServerHttpRequest.BaseBuilder<?> request) {
        return filter(filter, MockServerWebExchange.from(request));
    }

    private static ServerWebExchange filter(RequestIdWebFilter filter, MockServerWebExchange exchange) {
        var seen = new AtomicReference<ServerWebExchange>();
        StepVerifier.create(filter.filter(exchange, e -> {
                            seen.set(e);
                            return Mono.empty();
                        })
                        .then(exchange.getResponse().setComplete()))
                .verifyComplete();
        return seen.get();
    }
}
