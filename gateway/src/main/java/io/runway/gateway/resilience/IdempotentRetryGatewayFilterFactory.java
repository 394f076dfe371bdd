package io.runway.gateway.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory.BackoffConfig;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory.RetryConfig;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The route filter {@code IdempotentRetry}: Spring Cloud Gateway's {@code Retry} arguments (retries, methods, series,
 * statuses, exceptions, exponential backoff), for the requests that can be sent again only. {@code Retry} makes its
 * route read every request body into memory before anything else runs (authentication and the body size limit
 * included), so that a retry could send the body again, and wraps every request in its retry and repeat operators, a
 * POST's as well, each with companion publishers and a backoff built per request. Here a request of a method not
 * retried, or with a body, goes straight on, streamed; any other is tried again, after the backoff and with the
 * exchange reset as {@code Retry} does, while its answer has a retried status or its failure a retried exception, and
 * tries remain. Jitter and a timeout on the retries are not supported: the start-up fails if either is set.
 */
@Component
final class IdempotentRetryGatewayFilterFactory extends AbstractGatewayFilterFactory<RetryConfig> {

    IdempotentRetryGatewayFilterFactory() {
        super(RetryConfig.class);
    }

    @Override
    public GatewayFilter apply(RetryConfig config) {
        config.validate();
        if (config.getJitter() != null || config.getTimeout() != null) {
            throw new IllegalArgumentException(
                    "IdempotentRetry takes no jitter and no timeout (route " + config.getRouteId() + ")");
        }
        var policy = new Policy(config);
        return (exchange, chain) ->
                policy.retriable(exchange.getRequest()) ? policy.attempt(exchange, chain, 0) : chain.filter(exchange);
    }

    private static final class Policy {

        private final int retries;
        private final Set<HttpMethod> methods;
        private final Set<HttpStatus> statuses;
        private final Set<HttpStatus.Series> series;
        private final List<Class<? extends Throwable>> exceptions;
        private final BackoffConfig backoff;

        Policy(RetryConfig config) {
            this.retries = config.getRetries();
            this.methods = Set.copyOf(config.getMethods());
            this.statuses = Set.copyOf(config.getStatuses());
            this.series = Set.copyOf(config.getSeries());
            this.exceptions = List.copyOf(config.getExceptions());
            this.backoff = config.getBackoff();
        }

        boolean retriable(ServerHttpRequest request) {
            var headers = request.getHeaders();
            return methods.contains(request.getMethod())
                    && headers.getContentLength() <= 0
                    && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
        }

        Mono<Void> attempt(ServerWebExchange exchange, GatewayFilterChain chain, int retried) {
            if (retried >= retries) {
                return chain.filter(exchange);
            }
            return chain.filter(exchange)
                    .then(Mono.fromCallable(
                            () -> retriedStatus(exchange.getResponse().getStatusCode())))
                    .onErrorResume(this::retriedException, failure -> Mono.just(true))
                    .flatMap(again -> again
                            ? Mono.delay(delay(retried)).then(Mono.defer(() -> {
                                ServerWebExchangeUtils.reset(exchange);
                                return attempt(exchange, chain, retried + 1);
                            }))
                            : Mono.empty());
        }

        private boolean retriedStatus(HttpStatusCode status) {
            if (status == null) {
                return false;
            }
            var resolved = HttpStatus.resolve(status.value());
            return resolved != null && (statuses.contains(resolved) || series.contains(resolved.series()));
        }

        private boolean retriedException(Throwable failure) {
            for (var type : exceptions) {
                if (type.isInstance(failure) || type.isInstance(failure.getCause())) {
                    return true;
                }
            }
            return false;
        }

        /** {@code firstBackoff × factor^retried}, at most {@code maxBackoff}; no wait without a backoff. */
        private Duration delay(int retried) {
            if (backoff == null) {
                return Duration.ZERO;
            }
            var next = backoff.getFirstBackoff().multipliedBy((long) Math.pow(backoff.getFactor(), retried));
            var max = backoff.getMaxBackoff();
            return max != null && next.compareTo(max) > 0 ? max : next;
        }
    }
}
