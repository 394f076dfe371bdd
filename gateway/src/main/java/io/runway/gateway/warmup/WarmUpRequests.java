package io.runway.gateway.warmup;

import org.springframework.web.server.ServerWebExchange;

/**
 * Tells the gateway's filters which exchanges are its own warm-up requests: those are neither authenticated against
 * the credential stores, nor rate-limited, nor counted in {@code gateway.requests}, and go to a throwaway upstream.
 */
public final class WarmUpRequests {

    /** Exchange attribute present on warm-up requests only. */
    public static final String ATTRIBUTE = WarmUpRequests.class.getName() + ".warmUp";

    private WarmUpRequests() {}

    public static boolean isWarmUp(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE) != null;
    }
}
