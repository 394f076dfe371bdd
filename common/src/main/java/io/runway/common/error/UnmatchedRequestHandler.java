package io.runway.common.error;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the requests no controller took (an unknown path: 404, a known path with another method: 405) in the API
 * face's error shape instead of Spring's default body. Controller errors never get here: each face's advice maps them.
 */
public abstract class UnmatchedRequestHandler implements WebExceptionHandler, Ordered {

    private final JsonMapper json;

    protected UnmatchedRequestHandler(JsonMapper json) {
        this.json = json;
    }

    /** The body of the face the path belongs to. */
    protected abstract Object body(String path, String code, String message);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        var response = exchange.getResponse();
        if (!(failure instanceof ResponseStatusException unmatched) || response.isCommitted()) {
            return Mono.error(failure);
        }
        var status = HttpStatus.resolve(unmatched.getStatusCode().value());
        if (status != HttpStatus.NOT_FOUND && status != HttpStatus.METHOD_NOT_ALLOWED) {
            return Mono.error(failure);
        }
        var path = exchange.getRequest().getPath().value();
        var body = status == HttpStatus.NOT_FOUND
                ? body(path, "not_found", "No such endpoint")
                : body(
                        path,
                        "method_not_allowed",
                        "Method " + exchange.getRequest().getMethod() + " not allowed here");
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(bytes.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }

    @Override
    public int getOrder() {
        // before Boot's default error handler (-1)
        return -2;
    }
}
