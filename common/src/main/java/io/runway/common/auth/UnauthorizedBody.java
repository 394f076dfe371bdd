package io.runway.common.auth;

import org.springframework.web.server.ServerWebExchange;

/** Builds the 401 body in the error shape of the API face a request belongs to. */
@FunctionalInterface
public interface UnauthorizedBody {

    Object of(ServerWebExchange exchange, String message);
}
