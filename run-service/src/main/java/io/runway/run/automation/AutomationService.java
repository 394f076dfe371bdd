package io.runway.run.automation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.runway.common.error.ApiException;
import io.runway.run.config.BatchedCalls;
import io.runway.run.config.RunEngineProperties;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Creates, versions and reads a tenant's automations. */
@Service
public class AutomationService {

    private final AutomationRepository repository;
    private final AutomationParser parser;

    private final BatchedCalls<AutomationKey, Automation> lookups;
    private final Cache<AutomationKey, Automation> startable;

    AutomationService(
            AutomationRepository repository,
            AutomationParser parser,
            RunEngineProperties properties,
            MeterRegistry registry) {
        this.repository = repository;
        this.parser = parser;
        // Starts look their automation up: those arriving together share one statement.
        this.lookups = new BatchedCalls<>(
                "automation",
                properties.writes().maxBatch(),
                properties.writes().maxInFlight(),
                repository::findAll,
                registry);
        this.startable = Caffeine.newBuilder()
                .maximumSize(properties.startableAutomations())
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, startable, "run.startable.automations");
    }

    public Mono<Automation> create(String tenantId, String userId, JsonNode body) {
        return Mono.fromCallable(() -> parser.parse(body)).flatMap(draft -> repository.create(tenantId, userId, draft));
    }

    public Mono<Automation> update(String tenantId, String userId, UUID id, JsonNode body) {
        return Mono.fromCallable(() -> parser.parse(body))
                .flatMap(draft -> repository.addVersion(tenantId, id, userId, draft))
                .doOnNext(updated -> startable.invalidate(new AutomationKey(tenantId, id)))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Automation not found")));
    }

    /** The automation with its current version; errors with 404 when the tenant has no such automation. */
    public Mono<Automation> get(String tenantId, UUID id) {
        return lookups.submit(new AutomationKey(tenantId, id))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Automation not found")));
    }

    /**
     * The automation with the version a start should use: the one remembered from an earlier start here, else the
     * current one. Another instance may have replaced it meanwhile: the start's insert checks (see {@link #forget}).
     */
    public Mono<Automation> forStart(String tenantId, UUID id) {
        var key = new AutomationKey(tenantId, id);
        var remembered = startable.getIfPresent(key);
        if (remembered != null) {
            return Mono.just(remembered);
        }
        return get(tenantId, id).doOnNext(current -> startable.put(key, current));
    }

    /** Forgets the version remembered for starts: a start found that it is no longer the current one. */
    public void forget(String tenantId, UUID id) {
        startable.invalidate(new AutomationKey(tenantId, id));
    }

    public Mono<List<Automation>> versions(String tenantId, UUID id) {
        return repository
                .versions(tenantId, id)
                .collectList()
                .filter(list -> !list.isEmpty())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Automation not found")));
    }

    public Flux<Automation> list(String tenantId, int limit, long offset) {
        return repository.list(tenantId, limit, offset);
    }

    public Mono<Long> count(String tenantId) {
        return repository.count(tenantId);
    }
}
