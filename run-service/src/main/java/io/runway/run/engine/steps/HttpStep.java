package io.runway.run.engine.steps;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.runway.run.automation.StepDefinition;
import io.runway.run.config.RunEngineProperties;
import io.runway.run.engine.StepContext;
import io.runway.run.engine.StepOutcome;
import io.runway.run.engine.StepType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code http}: one outbound call, {@code {"method", "url", "headers", "body", "timeoutSeconds", "maxAttempts"}}. Each
 * attempt has a timeout; connection errors, timeouts and 5xx answers are retried with exponential back-off
 * (Resilience4j); 4xx answers fail at once. The answer ({@code status}, {@code body}) is the step's result.
 */
@Component
final class HttpStep implements StepType {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE");

    private final WebClient client;
    private final RunEngineProperties.Http defaults;
    private final JsonMapper mapper;

    @Autowired
    HttpStep(RunEngineProperties properties, JsonMapper mapper) {
        this(properties.http(), mapper, WebClient.create());
    }

    HttpStep(RunEngineProperties.Http defaults, JsonMapper mapper, WebClient client) {
        this.client = client;
        this.defaults = defaults;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public List<String> validate(StepDefinition step, Map<String, StepDefinition> all) {
        var config = step.config();
        var problems = new ArrayList<String>();
        if (!METHODS.contains(config.path("method").asString("GET").toUpperCase(Locale.ROOT))) {
            problems.add("config.method must be one of " + String.join(", ", METHODS));
        }
        try {
            var uri = URI.create(config.path("url").asString(""));
            if (!Set.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
                problems.add("config.url must be an absolute http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            problems.add("config.url must be an absolute http(s) URL");
        }
        var headers = config.path("headers");
        if (!headers.isMissingNode() && !headers.isObject()) {
            problems.add("config.headers must be an object of strings");
        }
        var timeout = config.path("timeoutSeconds");
        if (!timeout.isMissingNode() && (!timeout.isNumber() || timeout.asDouble() <= 0 || timeout.asDouble() > 300)) {
            problems.add("config.timeoutSeconds must be a number above 0 and at most 300");
        }
        var attempts = config.path("maxAttempts");
        if (!attempts.isMissingNode() && (!attempts.isInt() || attempts.asInt() < 1 || attempts.asInt() > 10)) {
            problems.add("config.maxAttempts must be an integer from 1 to 10");
        }
        return problems;
    }

    @Override
    public boolean safeToRerun(JsonNode config) {
        return IDEMPOTENT.contains(method(config)) || config.path("idempotent").asBoolean(false);
    }

    @Override
    public Mono<StepOutcome> execute(StepContext context) {
        var config = context.config();
        var timeout = config.has("timeoutSeconds")
                ? Duration.ofMillis(Math.round(config.path("timeoutSeconds").asDouble() * 1000))
                : defaults.timeout();
        var retry = Retry.of(
                "http-step",
                RetryConfig.custom()
                        .maxAttempts(config.path("maxAttempts").asInt(defaults.maxAttempts()))
                        .intervalFunction(IntervalFunction.ofExponentialBackoff(defaults.backoff(), 2.0))
                        .retryOnException(HttpStep::retryable)
                        .build());
        return call(config)
                .timeout(timeout)
                .transformDeferred(RetryOperator.of(retry))
                .map(this::outcome)
                .onErrorResume(ServerError.class, e -> Mono.just(outcome(e.answer)))
                .onErrorResume(
                        TimeoutException.class,
                        e -> Mono.just(StepOutcome.failed("timeout", "no answer within " + timeout.toMillis() + " ms")))
                .onErrorResume(
                        WebClientRequestException.class,
                        e -> Mono.just(StepOutcome.failed(
                                "connection_failed",
                                String.valueOf(e.getMostSpecificCause().getMessage()))));
    }

    private Mono<Answer> call(JsonNode config) {
        var request = client.method(HttpMethod.valueOf(method(config)))
                .uri(URI.create(config.path("url").asString()))
                .headers(headers -> config.path("headers")
                        .properties()
                        .forEach(header ->
                                headers.set(header.getKey(), header.getValue().asString())));
        var body = config.path("body");
        var spec = body.isMissingNode() || body.isNull()
                ? request
                : request.bodyValue(body.isString() ? body.asString() : body.toString());
        return spec.exchangeToMono(response -> response.bodyToFlux(org.springframework.core.io.buffer.DataBuffer.class)
                        .collect(() -> new LimitedBody(defaults.maxResultBytes()), LimitedBody::add)
                        .map(limited -> new Answer(response.statusCode().value(), limited)))
                .flatMap(answer -> answer.status >= 500 ? Mono.error(new ServerError(answer)) : Mono.just(answer));
    }

    private StepOutcome outcome(Answer answer) {
        var result = JsonNodeFactory.instance.objectNode().put("status", answer.status);
        result.set("body", answer.body.toJson(mapper));
        if (answer.status >= 200 && answer.status < 300) {
            return StepOutcome.success(result, answer.body.truncated());
        }
        var error = JsonNodeFactory.instance
                .objectNode()
                .put("code", "http_status")
                .put("message", "HTTP " + answer.status);
        return StepOutcome.failed(error, result, answer.body.truncated());
    }

    private static String method(JsonNode config) {
        return config.path("method").asString("GET").toUpperCase(Locale.ROOT);
    }

    private static boolean retryable(Throwable error) {
        return error instanceof ServerError
                || error instanceof TimeoutException
                || error instanceof WebClientRequestException;
    }

    private record Answer(int status, LimitedBody body) {}

    private static final class ServerError extends RuntimeException {

        private final transient Answer answer;

        ServerError(Answer answer) {
            super("HTTP " + answer.status, null, false, false);
            this.answer = answer;
        }
    }
}
