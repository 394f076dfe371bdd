package io.runway.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Names shared by the signer and the verifier of the internal token. */
public final class InternalToken {

    /** Header that carries the token from the gateway to a service. */
    public static final String HEADER = "X-Internal-Token";

    static final String CLAIM_KIND = "kind";
    static final String CLAIM_TENANT = "tenant";
    static final String CLAIM_SERVICE = "svc";

    private InternalToken() {}

    /** Key id of a secret: lets a verifier pick the right secret during a rotation without trying each. */
    static String keyId(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(digest)
                    .substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
