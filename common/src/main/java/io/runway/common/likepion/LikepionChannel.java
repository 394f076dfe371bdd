package io.runway.common.likepion;

/** The one Redis pub/sub channel of LIKEPION events, scoped by the Redis key prefix ({@code app.redis.key-prefix}). */
public final class LikepionChannel {

    private LikepionChannel() {}

    public static String name(String prefix) {
        return (prefix == null ? "" : prefix) + "likepion:events";
    }
}
