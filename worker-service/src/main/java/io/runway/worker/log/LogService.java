package io.runway.worker.log;

import io.runway.common.error.ApiException;
import io.runway.common.id.UuidV7;
import io.runway.worker.server.ActiveServer;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Stores a batch of worker logs in one statement; a batch with any bad entry is refused whole. */
@Service
class LogService {

    static final int MAX_BATCH = 500;
    static final int MAX_MESSAGE = 10_000;
    private static final Set<String> LEVELS = Set.of("INFO", "WARN", "ERROR", "DEBUG");

    private final LogRepository repository;
    private final Clock clock;

    LogService(LogRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    Mono<Long> store(ActiveServer server, LogBatch batch) {
        var logs = batch == null ? null : batch.logs();
        if (logs == null || logs.isEmpty() || logs.size() > MAX_BATCH) {
            return Mono.error(ApiException.badRequest("logs must hold 1 to " + MAX_BATCH + " entries"));
        }
        int n = logs.size();
        var ids = new UUID[n];
        var levels = new String[n];
        var messages = new String[n];
        for (int i = 0; i < n; i++) {
            var entry = logs.get(i);
            var level = entry == null || entry.level() == null
                    ? null
                    : entry.level().toUpperCase(Locale.ROOT);
            if (level == null || !LEVELS.contains(level)) {
                return Mono.error(ApiException.badRequest("logs[" + i + "].level must be one of " + LEVELS));
            }
            if (entry.message() == null || entry.message().length() > MAX_MESSAGE) {
                return Mono.error(ApiException.badRequest(
                        "logs[" + i + "].message is required, at most " + MAX_MESSAGE + " characters"));
            }
            ids[i] = UuidV7.next(clock);
            levels[i] = level;
            messages[i] = entry.message();
        }
        return repository.insert(server.id(), ids, levels, messages, clock.instant());
    }
}
