package io.runway.system;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** User JWTs as an identity provider would issue them: HS256, {@code sub} = user id, {@code tenant_id} = tenant. */
final class UserJwts {

    private UserJwts() {}

    static String sign(String secret, String userId, String tenant, Duration validFor) {
        var now = Instant.now();
        var claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("tenant_id", tenant)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validFor)))
                .build();
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
