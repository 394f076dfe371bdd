package io.runway.gateway.auth;

import io.runway.common.error.ErrorBody;
import io.runway.gateway.browser.BrowserPaths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Browser sessions: {@code POST /api/v1/session} with {@code {"token": "<user JWT>"}} verifies the token and answers
 * with it in the HttpOnly {@code vai_token} cookie, so pages never keep it in script; {@code DELETE} clears it.
 */
@RestController
class SessionController {

    private final JwtAuthenticator jwts;
    private final Clock clock;

    SessionController(JwtAuthenticator jwts, Clock clock) {
        this.jwts = jwts;
        this.clock = clock;
    }

    @PostMapping(BrowserPaths.SESSION)
    Mono<ResponseEntity<Object>> signIn(@RequestBody(required = false) SignInBody body, ServerWebExchange exchange) {
        if (body == null || body.token() == null || body.token().isBlank()) {
            return Mono.just(refused("token is required"));
        }
        var token = body.token().trim();
        return jwts.signIn(token)
                .map(signedIn -> {
                    var now = clock.instant();
                    var expiresAt = signedIn.expiresAt() == null ? now.plus(Duration.ofHours(1)) : signedIn.expiresAt();
                    var cookie = SessionCookie.of(token, Duration.between(now, expiresAt), exchange.getRequest());
                    var user = signedIn.user();
                    return ResponseEntity.ok()
                            .header(HttpHeaders.SET_COOKIE, cookie.toString())
                            .header(HttpHeaders.CACHE_CONTROL, "no-store")
                            .<Object>body(new Session(true, user.id(), user.tenant(), expiresAt));
                })
                .onErrorResume(AuthenticationException.class, e -> Mono.just(refused(e.getMessage())));
    }

    private static ResponseEntity<Object> refused(String message) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ErrorBody.of("unauthorized", message));
    }

    @DeleteMapping(BrowserPaths.SESSION)
    ResponseEntity<Void> signOut(ServerWebExchange exchange) {
        return ResponseEntity.noContent()
                .header(
                        HttpHeaders.SET_COOKIE,
                        SessionCookie.cleared(exchange.getRequest()).toString())
                .build();
    }

    record SignInBody(String token) {}

    record Session(boolean success, String userId, String tenant, Instant expiresAt) {}
}
