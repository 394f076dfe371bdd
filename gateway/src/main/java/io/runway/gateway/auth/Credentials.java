package io.runway.gateway.auth;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The credentials a request carries, read once from its headers and cookies. */
record Credentials(String bearer, boolean otherAuthorization, String apiKey, String adminKey, String cookieToken) {

    static final String API_KEY = "X-API-Key";
    static final String ADMIN_KEY = "X-Admin-Key";
    static final String TOKEN_COOKIE = SessionCookie.NAME;

    static Credentials of(ServerHttpRequest request) {
        var headers = request.getHeaders();
        var authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        String bearer = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            bearer = authorization.substring(7).trim();
        }
        HttpCookie cookie = request.getCookies().getFirst(TOKEN_COOKIE);
        return new Credentials(
                bearer,
                authorization != null && bearer == null,
                headers.getFirst(API_KEY),
                headers.getFirst(ADMIN_KEY),
                cookie == null ? null : cookie.getValue());
    }
}
