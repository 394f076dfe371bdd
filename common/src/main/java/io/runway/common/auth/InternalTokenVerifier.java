package io.runway.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Checks the internal token's signature (current or previous secret), issuer and expiry, and reads the principal. A
 * token that passed is remembered until it expires, so that a caller repeating it (the gateway signs once per principal
 * and reuses the token, a dashboard opens many streams) costs a map lookup and an expiry check, not a signature check.
 */
public final class InternalTokenVerifier {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    private static final int REMEMBERED = 10_000;

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private final Map<String, MACVerifier> verifiersByKeyId = new LinkedHashMap<>();
    private final String issuer;
    private final Clock clock;

    public InternalTokenVerifier(InternalTokenProperties properties, Clock clock) {
        Stream.concat(Stream.of(properties.secret()), properties.previousSecrets().stream())
                .forEach(secret -> verifiersByKeyId.put(InternalToken.keyId(secret), macVerifier(secret)));
        this.issuer = properties.issuer();
        this.clock = clock;
    }

    public CallerPrincipal verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidInternalTokenException("missing internal token");
        }
        var known = verified.get(token);
        if (known != null) {
            checkNotExpired(known.expiry());
            return known.principal();
        }
        try {
            var jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw new InvalidInternalTokenException("unexpected token algorithm");
            }
            var verifier = verifiersByKeyId.get(jwt.getHeader().getKeyID());
            if (verifier == null || !jwt.verify(verifier)) {
                throw new InvalidInternalTokenException("internal token signature is not valid");
            }
            var claims = jwt.getJWTClaimsSet();
            var principal = principalOf(claims);
            remember(token, new Verified(principal, claims.getExpirationTime().toInstant()));
            return principal;
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            throw new InvalidInternalTokenException("internal token is malformed");
        }
    }

    private CallerPrincipal principalOf(JWTClaimsSet claims) throws ParseException {
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidInternalTokenException("internal token issuer is not accepted");
        }
        var expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new InvalidInternalTokenException("internal token has expired");
        }
        checkNotExpired(expiry.toInstant());
        var kind = PrincipalKind.valueOf(claims.getStringClaim(InternalToken.CLAIM_KIND));
        var subject = claims.getSubject();
        if (subject == null) {
            throw new InvalidInternalTokenException("internal token has no subject");
        }
        return new CallerPrincipal(
                kind,
                subject,
                claims.getStringClaim(InternalToken.CLAIM_TENANT),
                claims.getStringClaim(InternalToken.CLAIM_SERVICE));
    }

    private void checkNotExpired(Instant expiry) {
        if (expiry.plus(CLOCK_SKEW).isBefore(clock.instant())) {
            throw new InvalidInternalTokenException("internal token has expired");
        }
    }

    private void remember(String token, Verified principal) {
        if (verified.size() >= REMEMBERED) {
            // Tokens live minutes: starting afresh costs one signature check per caller, and bounds the memory.
            verified.clear();
        }
        verified.put(token, principal);
    }

    private record Verified(CallerPrincipal principal, Instant expiry) {}

    private static MACVerifier macVerifier(String secret) {
        try {
            return new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException("internal token secret is unusable", e);
        }
    }
}
