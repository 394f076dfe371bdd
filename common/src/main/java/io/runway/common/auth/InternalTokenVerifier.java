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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Checks the internal token's signature (current or previous secret), issuer and expiry, and reads the principal. */
public final class InternalTokenVerifier {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

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
        try {
            var jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw new InvalidInternalTokenException("unexpected token algorithm");
            }
            var verifier = verifiersByKeyId.get(jwt.getHeader().getKeyID());
            if (verifier == null || !jwt.verify(verifier)) {
                throw new InvalidInternalTokenException("internal token signature is not valid");
            }
            return principalOf(jwt.getJWTClaimsSet());
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            throw new InvalidInternalTokenException("internal token is malformed");
        }
    }

    private CallerPrincipal principalOf(JWTClaimsSet claims) throws ParseException {
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidInternalTokenException("internal token issuer is not accepted");
        }
        var expiry = claims.getExpirationTime();
        if (expiry == null || expiry.toInstant().plus(CLOCK_SKEW).isBefore(clock.instant())) {
            throw new InvalidInternalTokenException("internal token has expired");
        }
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

    private static MACVerifier macVerifier(String secret) {
        try {
            return new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException("internal token secret is unusable", e);
        }
    }
}
