package io.runway.gateway.auth;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.PrincipalKind;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Validates user and operator JWTs (signature by the configured HS256 secret or JWK set, expiry, issuer and audience
 * when configured) and maps them to principals: {@code sub} is the user id, the configured claim the tenant.
 */
@Component
class JwtAuthenticator {

    private final ReactiveJwtDecoder decoder;
    private final AuthProperties.Jwt settings;
    private final VerifiedJwts verified;

    JwtAuthenticator(AuthProperties properties, Clock clock) {
        this.settings = properties.jwt();
        this.decoder = decoder(settings);
        this.verified = new VerifiedJwts(clock, properties.jwtCache());
    }

    /** A user of one tenant (run APIs). */
    Mono<Caller> user(String token) {
        try {
            var known = verified.user(token, this::userOf);
            if (known != null) {
                return Mono.just(known);
            }
        } catch (AuthenticationException e) {
            return Mono.error(e);
        }
        return decode(token).map(jwt -> {
            var remembered = verified.user(token, this::userOf);
            return remembered != null ? remembered : Caller.once(userOf(jwt));
        });
    }

    /**
     * Someone signing in for a browser session: an operator (a token with the admin role; its tenant is kept when it
     * has one, for the run APIs) or a user of a tenant; the principal and when the token expires.
     */
    Mono<SignedIn> signIn(String token) {
        return decode(token).map(jwt -> {
            if (roles(jwt).contains("admin")) {
                var tenant = jwt.getClaimAsString(settings.tenantClaim());
                var operator = new CallerPrincipal(
                        PrincipalKind.ADMIN,
                        jwt.getSubject(),
                        tenant == null || tenant.isBlank() ? null : tenant,
                        null);
                return new SignedIn(operator, jwt.getExpiresAt());
            }
            return new SignedIn(userOf(jwt), jwt.getExpiresAt());
        });
    }

    private CallerPrincipal userOf(Jwt jwt) {
        var tenant = jwt.getClaimAsString(settings.tenantClaim());
        if (tenant == null || tenant.isBlank()) {
            throw new AuthenticationException("invalid_token", "Token has no " + settings.tenantClaim() + " claim");
        }
        return CallerPrincipal.user(jwt.getSubject(), tenant);
    }

    record SignedIn(CallerPrincipal user, Instant expiresAt) {}

    /** An operator: a token whose roles (or scope) include {@code admin}. */
    Mono<CallerPrincipal> admin(String token) {
        return decode(token).map(jwt -> {
            if (!roles(jwt).contains("admin")) {
                throw new AuthenticationException("forbidden_role", "Token does not carry the admin role");
            }
            return CallerPrincipal.admin(jwt.getSubject());
        });
    }

    private Mono<Jwt> decode(String token) {
        var known = verified.get(token);
        if (known != null) {
            return Mono.just(known);
        }
        return decoder.decode(token)
                .onErrorMap(JwtException.class, e -> new AuthenticationException("invalid_token", tokenMessage(e)))
                .filter(jwt -> jwt.getSubject() != null && !jwt.getSubject().isBlank())
                .switchIfEmpty(Mono.error(() -> new AuthenticationException("invalid_token", "Token has no subject")))
                .doOnNext(jwt -> verified.remember(token, jwt));
    }

    private static String tokenMessage(JwtException e) {
        var text = new StringBuilder(String.valueOf(e.getMessage()));
        if (e instanceof JwtValidationException invalid) {
            invalid.getErrors().forEach(error -> text.append(' ').append(error.getDescription()));
        }
        return text.toString().toLowerCase(java.util.Locale.ROOT).contains("expired")
                ? "Token has expired"
                : "Invalid token";
    }

    private List<String> roles(Jwt jwt) {
        var roles = new ArrayList<String>();
        for (var claim : List.of(settings.rolesClaim(), "scope", "scp")) {
            Object value = jwt.getClaims().get(claim);
            if (value instanceof Collection<?> values) {
                values.forEach(v -> roles.add(String.valueOf(v)));
            } else if (value instanceof String text) {
                roles.addAll(List.of(text.split(" ")));
            }
        }
        return roles;
    }

    private static ReactiveJwtDecoder decoder(AuthProperties.Jwt settings) {
        NimbusReactiveJwtDecoder decoder;
        if (settings.jwkSetUri() != null && !settings.jwkSetUri().isBlank()) {
            decoder =
                    NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build();
        } else {
            var key = new SecretKeySpec(settings.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            decoder = NimbusReactiveJwtDecoder.withSecretKey(key)
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        }
        var validators = new ArrayList<OAuth2TokenValidator<Jwt>>();
        validators.add(
                blank(settings.issuer())
                        ? JwtValidators.createDefault()
                        : JwtValidators.createDefaultWithIssuer(settings.issuer()));
        validators.add(new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull));
        if (!blank(settings.audience())) {
            validators.add(new JwtClaimValidator<List<String>>(
                    "aud", aud -> aud != null && aud.contains(settings.audience())));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
