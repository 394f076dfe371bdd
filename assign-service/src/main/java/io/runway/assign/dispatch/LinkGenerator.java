package io.runway.assign.dispatch;

import io.runway.assign.account.AccountLimits;
import io.runway.assign.config.DispatcherProperties;
import io.runway.common.id.UuidV7;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rule 1: tops up running requests to their target with links built from unused pairs of an active site of the
 * request's service type and an active account of its group. One short transaction per request, which holds the
 * request row so that two replicas never both top up the same request.
 */
final class LinkGenerator {

    private final GenerationRepository repository;
    private final AccountLimits accountLimits;
    private final TransactionalOperator tx;
    private final JsonMapper json;
    private final DispatcherProperties properties;
    private final Clock clock;

    LinkGenerator(
            GenerationRepository repository,
            AccountLimits accountLimits,
            TransactionalOperator tx,
            JsonMapper json,
            DispatcherProperties properties,
            Clock clock) {
        this.repository = repository;
        this.accountLimits = accountLimits;
        this.tx = tx;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    Mono<Integer> generate() {
        return accountLimits.current().flatMap(limits -> repository
                .requestsBelowTarget(properties.sweepBatchSize())
                .concatMap(id -> tx.transactional(topUp(id, limits)))
                .reduce(0, Integer::sum));
    }

    private Mono<Integer> topUp(java.util.UUID requestId, AccountLimits.Limits limits) {
        var now = clock.instant();
        return repository
                .lockShortfall(requestId)
                .filter(shortfall -> shortfall.missing() > 0)
                .flatMap(shortfall -> repository
                        .freshPairs(shortfall, limits.maxPostsPerDay(), AccountLimits.today(now), (int)
                                Math.min(shortfall.missing(), properties.generateBatchSize()))
                        .collectList()
                        .flatMap(pairs -> {
                            if (pairs.isEmpty()) {
                                return Mono.just(0);
                            }
                            var rows = new ArrayList<Map<String, Object>>(pairs.size());
                            for (var pair : pairs) {
                                pair.put("id", UuidV7.next(clock).toString());
                                rows.add(pair);
                            }
                            return repository
                                    .insert(requestId, shortfall.serviceType(), json.writeValueAsString(rows), now)
                                    .count()
                                    .map(Long::intValue);
                        }))
                .defaultIfEmpty(0);
    }
}
