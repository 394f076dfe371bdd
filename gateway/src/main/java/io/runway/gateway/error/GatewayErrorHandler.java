package io.runway.gateway.error;

import io.netty.channel.ConnectTimeoutException;
import io.r2dbc.spi.R2dbcException;
import io.runway.common.error.StatusCodes;
import io.runway.common.web.RequestIds;
import io.runway.gateway.resilience.BreakerMeters;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * The one place where failures become responses: circuit open or credentials store unreachable → 503, upstream timeout → 504, upstream unreachable →
 * 502, oversized body → 413, anything else keeps its status (or 500), always in the API face's error shape and never
 * with a stack trace.
 */
@Component
@Order(-2)
final class GatewayErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    private final ErrorResponses responses;
    private final BreakerMeters breakers;

    GatewayErrorHandler(ErrorResponses responses, BreakerMeters breakers) {
        this.responses = responses;
        this.breakers = breakers;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        if (failure instanceof ServiceUnavailableException) {
            // Spring Cloud Gateway's answer to a call the route's breaker (named after the route) did not permit
            Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
            if (route != null) {
                breakers.notPermitted(route.getId());
            }
            return unavailable(exchange, "The service is temporarily unavailable (circuit breaker open); retry later");
        }
        if (failure instanceof DataAccessException || failure instanceof R2dbcException) {
            // the key lookup could not reach PostgreSQL (once the key cache has expired)
            return unavailable(exchange, "Credentials cannot be checked right now; retry later");
        }
        if (failure instanceof PayloadTooLargeException e) {
            return responses.write(exchange, HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large", e.getMessage());
        }
        if (failure instanceof TimeoutException
                || (failure instanceof ResponseStatusException e
                        && e.getStatusCode().value() == 504)) {
            return responses.write(
                    exchange, HttpStatus.GATEWAY_TIMEOUT, "gateway_timeout", "The service did not answer in time");
        }
        if (failure instanceof ResponseStatusException e) {
            return responses.write(
                    exchange,
                    e.getStatusCode(),
                    StatusCodes.of(e.getStatusCode().value()),
                    message(e));
        }
        if (failure instanceof ConnectException
                || failure instanceof ConnectTimeoutException
                || failure instanceof PrematureCloseException
                || failure instanceof AbortedException) {
            return responses.write(exchange, HttpStatus.BAD_GATEWAY, "bad_gateway", "The service could not be reached");
        }
        RequestIds.inMdc(exchange, () -> log.error("Unexpected gateway failure", failure));
        return responses.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal gateway error");
    }

    private Mono<Void> unavailable(ServerWebExchange exchange, String message) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        return responses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", message);
    }

    private static String message(ResponseStatusException e) {
        var status = HttpStatus.resolve(e.getStatusCode().value());
        return e.getReason() != null ? e.getReason() : status != null ? status.getReasonPhrase() : "Request failed";
    }
}
