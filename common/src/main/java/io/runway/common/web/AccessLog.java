package io.runway.common.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The one access-log line per request (logger {@code access}): method, path, status and duration. Never the query
 * string or headers, which may hold keys. The request and trace ids reach it through the MDC, which the caller puts
 * there explicitly because the request's scope is closed by then.
 */
public final class AccessLog {

    private static final Logger ACCESS = LoggerFactory.getLogger("access");

    private AccessLog() {}

    public static boolean enabled() {
        return ACCESS.isInfoEnabled();
    }

    public static void write(ServerHttpRequest request, int status, long startedNanos) {
        var method = request.getMethod().name();
        var path = request.getPath().value();
        ACCESS.atInfo()
                .addKeyValue("method", method)
                .addKeyValue("path", path)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", (System.nanoTime() - startedNanos) / 1_000_000)
                .log("{} {} {}", method, path, status);
    }
}
