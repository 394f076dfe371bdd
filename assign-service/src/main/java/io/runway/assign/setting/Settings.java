package io.runway.assign.setting;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Key/value settings by group, e.g. {@code rate_limit}: {@code max_posts_per_day}, {@code cooldown_minutes}. */
@Repository
public class Settings {

    private final DatabaseClient db;
    private final Clock clock;

    Settings(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Mono<Map<String, String>> group(String group) {
        return db.sql("SELECT key, value FROM settings WHERE \"group\" = :group ORDER BY key")
                .bind("group", group)
                .map(row -> Map.entry(row.get("key", String.class), row.get("value", String.class)))
                .all()
                .collect(TreeMap::new, (map, e) -> map.put(e.getKey(), e.getValue()));
    }

    Mono<Void> put(String group, Map<String, String> values) {
        var now = clock.instant();
        return Flux.fromIterable(values.entrySet())
                .concatMap(e -> db.sql(
                                """
                                INSERT INTO settings ("group", key, value, updated_at) VALUES (:group, :key, :value, :now)
                                ON CONFLICT ("group", key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
                                """)
                        .bind("group", group)
                        .bind("key", e.getKey())
                        .bind("value", e.getValue())
                        .bind("now", now)
                        .then())
                .then();
    }
}
