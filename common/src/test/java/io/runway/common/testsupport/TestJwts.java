package io.runway.common.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * User and operator JWTs as an identity provider would issue them to the gateway: HS256, {@code sub} = user id,
 * {@code tenant_id} = tenant, {@code roles} when given.
 */
public final class TestJwts {

    private TestJwts() {}

    public static String hs256(
            String secret, String subject, String tenant, List<String> roles, Instant issuedAt, Instant expiry) {
        var claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiry))
                .claim("tenant_id", tenant);
        if (!roles.isEmpty()) {
            claims.claim("roles", roles);
        }
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
