package io.runway.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.runway.common.auth.CallerPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Console sessions opened with the admin key (docs/console.md, "Admin sign-in"). The key itself never leaves the
 * sign-in request: the gateway answers with a short-lived HS256 token of its own, issuer {@value #ISSUER} and audience
 * {@value #AUDIENCE}, which is what the {@code vai_token} cookie carries and what marks the session as an operator's.
 * It is signed with a key derived from the admin key, so changing the admin key ends every such session.
 */
@Component
class AdminSessions {

    static final String ISSUER = "runway-gateway";
    static final String AUDIENCE = "runway-admin-session";
    static final String SUBJECT = "admin-key";

    private final byte[] adminKeyHash;
    private final byte[] signingKey;
    private final AuthProperties.AdminSession settings;
    private final Clock clock;

    AdminSessions(AuthProperties properties, Clock clock) {
        var adminKey = properties.adminKey();
        boolean configured = adminKey != null && !adminKey.isBlank();
        this.adminKeyHash = configured ? sha256(adminKey) : null;
        this.signingKey = configured ? derive(adminKey) : null;
        this.settings = properties.adminSession();
        this.clock = clock;
    }

    boolean enabled() {
        return signingKey != null;
    }

    /** Whether {@code raw} is the configured admin key (compared as hashes, in constant time). */
    boolean isAdminKey(String raw) {
        return adminKeyHash != null && raw != null && MessageDigest.isEqual(adminKeyHash, sha256(raw));
    }

    /** A new session token and when it expires. */
    Minted mint() {
        var now = clock.instant();
        var expiresAt = now.plus(settings.ttl());
        var claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(SUBJECT)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .build();
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an admin session", e);
        }
        return new Minted(jwt.serialize(), expiresAt);
    }

    /** Whether {@code token} claims to be one of these sessions (read without checking it; {@link #verify} does). */
    static boolean isSessionToken(String token) {
        try {
            var claims = SignedJWT.parse(token).getJWTClaimsSet();
            return ISSUER.equals(claims.getIssuer()) && List.of(AUDIENCE).equals(claims.getAudience());
        } catch (ParseException e) {
            return false;
        }
    }

    /** The operator of a valid, unexpired session token; otherwise an {@link AuthenticationException}. */
    Verified verify(String token) {
        if (!enabled()) {
            throw new AuthenticationException("invalid_token", "Admin sessions are disabled (no admin key configured)");
        }
        try {
            var jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new MACVerifier(signingKey))) {
                throw new AuthenticationException("invalid_token", "Invalid token");
            }
            var claims = jwt.getJWTClaimsSet();
            var expiresAt = claims.getExpirationTime();
            if (expiresAt == null || !clock.instant().isBefore(expiresAt.toInstant())) {
                throw new AuthenticationException("invalid_token", "Token has expired");
            }
            return new Verified(CallerPrincipal.admin(SUBJECT), expiresAt.toInstant());
        } catch (ParseException | JOSEException e) {
            throw new AuthenticationException("invalid_token", "Invalid token");
        }
    }

    private static byte[] sha256(String value) {
        return ApiKeyAuthenticator.sha256Hex(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] derive(String adminKey) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(adminKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal("runway console admin session v1".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    record Minted(String token, Instant expiresAt) {}

    record Verified(CallerPrincipal principal, Instant expiresAt) {}
}
