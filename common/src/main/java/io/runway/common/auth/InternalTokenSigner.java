package io.runway.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;

/** Mints the HS256 internal token that carries a {@link CallerPrincipal} from the gateway to a service. */
public final class InternalTokenSigner {

    private final MACSigner signer;
    private final JWSHeader header;
    private final InternalTokenProperties properties;
    private final Clock clock;

    public InternalTokenSigner(InternalTokenProperties properties, Clock clock) {
        try {
            this.signer = new MACSigner(properties.secret().getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException("internal token secret is unusable", e);
        }
        this.header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(InternalToken.keyId(properties.secret()))
                .build();
        this.properties = properties;
        this.clock = clock;
    }

    public String sign(CallerPrincipal principal) {
        var now = clock.instant();
        var claims = new JWTClaimsSet.Builder()
                .issuer(properties.issuer())
                .subject(principal.id())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(properties.ttl())))
                .claim(InternalToken.CLAIM_KIND, principal.kind().name())
                .claim(InternalToken.CLAIM_TENANT, principal.tenant())
                .claim(InternalToken.CLAIM_SERVICE, principal.service())
                .build();
        var jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign internal token", e);
        }
        return jwt.serialize();
    }
}
