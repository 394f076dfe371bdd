package io.runway.gateway.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ErrorBody;
import io.runway.gateway.browser.BrowserPaths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Browser sessions in the HttpOnly {@code vai_token} cookie, so pages never keep a credential in script.
 * {@code POST /api/v1/session} with {@code {"token": "<JWT>"}} (a user, or an operator's admin JWT) keeps that token;
 * with {@code {"adminKey": "..."}} it keeps an admin session of the gateway's own ({@link AdminSessions}), never the
 * key. {@code GET} says who the cookie belongs to, {@code DELETE} clears it.
 */
@RestController
class SessionController {

    private final JwtAuthenticator jwts;
    private final AdminSessions adminSessions;
    private final MeterRegistry meters;
    private final Clock clock;

    SessionController(JwtAuthenticator jwts, AdminSessions adminSessions, MeterRegistry meters, Clock clock) {
        this.jwts = jwts;
        this.adminSessions = adminSessions;
        this.meters = meters;
        this.clock = clock;
    }

    @PostMapping(BrowserPaths.SESSION)
    Mono<ResponseEntity<Object>> signIn(@RequestBody(required = false) SignInBody body, ServerWebExchange exchange) {
        if (body != null && body.adminKey() != null && !body.adminKey().isBlank()) {
            return Mono.fromCallable(() -> signInWithAdminKey(body.adminKey().trim(), exchange));
        }
        if (body == null || body.token() == null || body.token().isBlank()) {
            return Mono.just(refused("token", "token or adminKey is required"));
        }
        var token = body.token().trim();
        return jwts.signIn(token)
                .map(signedIn -> {
                    var expiresAt = signedIn.expiresAt() == null
                            ? clock.instant().plus(Duration.ofHours(1))
                            : signedIn.expiresAt();
                    return opened("token", token, signedIn.user(), expiresAt, exchange);
                })
                .onErrorResume(AuthenticationException.class, e -> Mono.just(refused("token", e.getMessage())));
    }

    private ResponseEntity<Object> signInWithAdminKey(String adminKey, ServerWebExchange exchange) {
        if (!adminSessions.enabled()) {
            return refused("admin_key", "Signing in with the admin key is disabled on this gateway");
        }
        if (!adminSessions.isAdminKey(adminKey)) {
            return refused("admin_key", "Invalid admin key");
        }
        var session = adminSessions.mint();
        var principal = CallerPrincipal.admin(AdminSessions.SUBJECT);
        return opened("admin_key", session.token(), principal, session.expiresAt(), exchange);
    }

    @GetMapping(BrowserPaths.SESSION)
    Mono<ResponseEntity<Object>> current(ServerWebExchange exchange) {
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(SessionCookie.NAME);
        if (cookie == null || cookie.getValue().isBlank()) {
            return Mono.just(unauthorized("Not signed in"));
        }
        var token = cookie.getValue();
        Mono<Session> session = AdminSessions.isSessionToken(token)
                ? Mono.fromCallable(() -> adminSessions.verify(token))
                        .map(verified -> Session.of(verified.principal(), verified.expiresAt()))
                : jwts.signIn(token).map(signedIn -> Session.of(signedIn.user(), signedIn.expiresAt()));
        return session.map(s -> ResponseEntity.ok()
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .<Object>body(s))
                .onErrorResume(AuthenticationException.class, e -> Mono.just(unauthorized(e.getMessage())));
    }

    @DeleteMapping(BrowserPaths.SESSION)
    ResponseEntity<Void> signOut(ServerWebExchange exchange) {
        return ResponseEntity.noContent()
                .header(
                        HttpHeaders.SET_COOKIE,
                        SessionCookie.cleared(exchange.getRequest()).toString())
                .build();
    }

    private ResponseEntity<Object> opened(
            String with, String token, CallerPrincipal principal, Instant expiresAt, ServerWebExchange exchange) {
        var maxAge = Duration.between(clock.instant(), expiresAt);
        var cookie = SessionCookie.of(token, maxAge, exchange.getRequest());
        meters.counter("gateway.sessions", "with", with, "outcome", "opened").increment();
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookie.toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(Session.of(principal, expiresAt));
    }

    private ResponseEntity<Object> refused(String with, String message) {
        meters.counter("gateway.sessions", "with", with, "outcome", "refused").increment();
        return unauthorized(message);
    }

    private static ResponseEntity<Object> unauthorized(String message) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ErrorBody.of("unauthorized", message));
    }

    record SignInBody(String token, String adminKey) {}

    /** Who a session belongs to: {@code role} is {@code user} (with its tenant) or {@code admin}. */
    record Session(boolean success, String role, String userId, String tenant, Instant expiresAt) {

        static Session of(CallerPrincipal principal, Instant expiresAt) {
            return new Session(
                    true, principal.isAdmin() ? "admin" : "user", principal.id(), principal.tenant(), expiresAt);
        }
    }
}
