package io.runway.gateway.auth;

import java.time.Duration;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The {@code vai_token} cookie (the name seed 003 gives it) that carries a user's JWT for browsers: HttpOnly (no
 * script reads it), SameSite=Strict, Secure when the gateway is reached over https, scoped to the API.
 */
public final class SessionCookie {

    public static final String NAME = "vai_token";

    private static final String PATH = "/api/";

    private SessionCookie() {}

    static ResponseCookie of(String token, Duration maxAge, ServerHttpRequest request) {
        return ResponseCookie.from(NAME, token)
                .httpOnly(true)
                .sameSite("Strict")
                .secure(isHttps(request))
                .path(PATH)
                .maxAge(maxAge)
                .build();
    }

    static ResponseCookie cleared(ServerHttpRequest request) {
        return of("", Duration.ZERO, request);
    }

    private static boolean isHttps(ServerHttpRequest request) {
        return "https".equalsIgnoreCase(request.getURI().getScheme())
                || "https".equalsIgnoreCase(request.getHeaders().getFirst("X-Forwarded-Proto"));
    }
}
