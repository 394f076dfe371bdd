package io.runway.run.automation;

import io.micrometer.core.instrument.MeterRegistry;
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
    }

    public Mono<Automation> create(String tenantId, String userId, JsonNode body) {
        return Mono.fromCallable(() -> parser.parse(body)).flatMap(draft -> repository.create(tenantId, userId, draft));
    }

    public Mono<Automation> update(String tenantId, String userId, UUID id, JsonNode body) {
        return Mono.fromCallable(() -> parser.parse(body))
                .flatMap(draft -> repository.addVersion(tenantId, id, userId, draft))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Automation not found")));
    }

    /** The automation with its current version; errors with 404 when the tenant has no such automation. */
    public Mono<Automation> get(String tenantId, UUID id) {
        return lookups.submit(new AutomationKey(tenantId, id))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Automation not found")));
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
