package io.runway.run.face;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Makes refusals of the stream endpoints JSON in their face's shape although EventSource accepts only {@code
 * text/event-stream}: without this, content negotiation would write the error body as an SSE {@code data:} line. A
 * stream itself is unaffected, as it sets its content type explicitly (see {@link SseResponses}).
 */
@Component
class StreamErrorContentType implements WebFilter {

    private static final List<MediaType> ERRORS_AS_JSON =
            List.of(MediaType.APPLICATION_JSON, MediaType.parseMediaType("text/event-stream;q=0.9"));

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (StreamPaths.isStream(path)) {
            var request = exchange.getRequest()
                    .mutate()
                    .headers(headers -> headers.setAccept(ERRORS_AS_JSON))
                    .build();
            return chain.filter(exchange.mutate().request(request).build());
        }
        return chain.filter(exchange);
    }
}
