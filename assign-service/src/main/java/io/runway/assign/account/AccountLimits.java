package io.runway.assign.account;

import io.runway.assign.setting.Settings;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Per-account posting limits from the {@code rate_limit} settings ({@code max_posts_per_day} per UTC calendar day,
 * {@code cooldown_minutes} between two posts), consumed atomically with an assignment inside its transaction.
 */
@Component
public class AccountLimits {

    private static final Logger log = LoggerFactory.getLogger(AccountLimits.class);

    private static final String CONSUME =
            """
            INSERT INTO account_usage AS u (account_id, day, posts, last_post_at)
            SELECT a, :today, 1, :now FROM unnest(:accounts::uuid[]) AS a WHERE :maxPosts > 0 ORDER BY a
            ON CONFLICT (account_id) DO UPDATE SET
                posts = CASE WHEN u.day = EXCLUDED.day THEN u.posts + 1 ELSE 1 END,
                day = EXCLUDED.day,
                last_post_at = EXCLUDED.last_post_at
            WHERE (u.day <> EXCLUDED.day OR u.posts < :maxPosts) AND u.last_post_at <= :cooldownSince
            RETURNING u.account_id
            """;

    private final DatabaseClient db;
    private final Settings settings;

    AccountLimits(DatabaseClient db, Settings settings) {
        this.db = db;
        this.settings = settings;
    }

    /** The limits in force now; unset or unreadable settings mean no limit. */
    public Mono<Limits> current() {
        return settings.group("rate_limit")
                .map(values -> new Limits(
                        number(values, "max_posts_per_day", Integer.MAX_VALUE),
                        Duration.ofMinutes(number(values, "cooldown_minutes", 0))));
    }

    /**
     * Takes one post for each account (distinct ids) if its limits allow; returns the accounts that got one. Must run
     * in the caller's transaction, so the post is returned if the assignment rolls back.
     */
    public Mono<Set<UUID>> consume(Collection<UUID> accounts, Limits limits, Instant now) {
        if (accounts.isEmpty()) {
            return Mono.just(Set.of());
        }
        return db.sql(CONSUME)
                .bind("accounts", accounts.stream().distinct().sorted().toArray(UUID[]::new))
                .bind("today", today(now))
                .bind("now", now)
                .bind("maxPosts", limits.maxPostsPerDay())
                .bind("cooldownSince", now.minus(limits.cooldown()))
                .map(row -> row.get("account_id", UUID.class))
                .all()
                .collect(HashSet::new, Set::add);
    }

    public static LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private static int number(Map<String, String> values, String key, int defaultValue) {
        var value = values.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Math.max(0, (int) Math.min(Integer.MAX_VALUE, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            log.warn("rate_limit.{} is not a number ('{}'); treating it as unset", key, value);
            return defaultValue;
        }
    }

    /** Posting limits of every account. */
    public record Limits(int maxPostsPerDay, Duration cooldown) {}
}
