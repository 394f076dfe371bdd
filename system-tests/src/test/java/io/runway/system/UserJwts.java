package io.runway.system;

import io.runway.common.testsupport.TestJwts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** User JWTs as an identity provider would issue them: HS256, {@code sub} = user id, {@code tenant_id} = tenant. */
final class UserJwts {

    private UserJwts() {}

    static String sign(String secret, String userId, String tenant, Duration validFor) {
        var now = Instant.now();
        return TestJwts.hs256(secret, userId, tenant, List.of(), now, now.plus(validFor));
    }
}
