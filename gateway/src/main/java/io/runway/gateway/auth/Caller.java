package io.runway.gateway.auth;

import io.runway.common.auth.CallerPrincipal;

/**
 * An authenticated principal with the internal token forwarded for it. A cached API key or verified JWT yields the same
 * instance on every request it authenticates, so its token is found on the instance, without hashing and comparing the
 * principal as a map key per request; principals proved otherwise (admin key, session, warm-up) are not reused and
 * share {@link ForwardedTokens}' map.
 */
final class Caller {

    private final CallerPrincipal principal;
    private final boolean reused;
    // written by whichever request finds it missing or due: at worst two requests sign at once, both tokens valid
    private volatile ForwardedTokens.Signed signed;

    private Caller(CallerPrincipal principal, boolean reused) {
        this.principal = principal;
        this.reused = reused;
    }

    /** A principal held by a credential cache and reused for every request that credential authenticates. */
    static Caller cached(CallerPrincipal principal) {
        return new Caller(principal, true);
    }

    /** A principal built for one request. */
    static Caller once(CallerPrincipal principal) {
        return new Caller(principal, false);
    }

    CallerPrincipal principal() {
        return principal;
    }

    boolean reused() {
        return reused;
    }

    ForwardedTokens.Signed signed() {
        return signed;
    }

    void signed(ForwardedTokens.Signed signed) {
        this.signed = signed;
    }
}
