package io.runway.worker.callback;

import io.runway.common.error.ApiException;
import io.runway.common.likepion.LikepionEvent;
import io.runway.worker.event.EventPublisher;
import io.runway.worker.server.ActiveServer;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Request and account status callbacks. Who may change what (the seed is silent): an assign server may change any
 * request or account; a tool server only a request of which it holds a link, and only an account with which it was
 * given a link. A finished request (completed, failed, canceled) keeps its status.
 */
@Service
class CallbackService {

    static final Set<String> REQUEST_STATUSES =
            Set.of("pending", "running", "connecting", "completed", "failed", "canceled");
    static final Set<String> FINISHED_REQUEST = Set.of("completed", "failed", "canceled");
    static final Set<String> ACCOUNT_STATUSES = Set.of("active", "inactive", "banned", "locked");

    private final CallbackRepository repository;
    private final TransactionalOperator tx;
    private final EventPublisher events;
    private final Clock clock;

    CallbackService(CallbackRepository repository, TransactionalOperator tx, EventPublisher events, Clock clock) {
        this.repository = repository;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    Mono<CallbackBodies.RequestUpdated> requestStatus(ActiveServer server, CallbackBodies.RequestStatus body) {
        var id = uuid(body == null ? null : body.requestId(), "request_id");
        var status = body.status();
        if (status == null || !REQUEST_STATUSES.contains(status)) {
            return Mono.error(ApiException.badRequest("status must be one of " + REQUEST_STATUSES));
        }
        var now = clock.instant();
        var change = repository
                .lockRequest(id, server.id())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("request does not exist")))
                .flatMap(current -> {
                    allowed(server, current, "request");
                    if (current.status().equals(status)) {
                        return Mono.just(false);
                    }
                    if (FINISHED_REQUEST.contains(current.status())) {
                        return Mono.error(ApiException.invalidTransition(
                                "a " + current.status() + " request cannot go to " + status));
                    }
                    return repository.updateRequest(id, status, now).thenReturn(true);
                });
        return tx.transactional(change)
                .doOnNext(changed -> {
                    if (changed) {
                        events.publish(LikepionEvent.requestStatus(id, status, now));
                    }
                })
                .map(changed -> new CallbackBodies.RequestUpdated(true, id, status));
    }

    Mono<CallbackBodies.AccountUpdated> accountStatus(ActiveServer server, CallbackBodies.AccountStatus body) {
        var id = uuid(body == null ? null : body.accountId(), "account_id");
        var status = body.status();
        if (status == null || !ACCOUNT_STATUSES.contains(status)) {
            return Mono.error(ApiException.badRequest("status must be one of " + ACCOUNT_STATUSES));
        }
        var now = clock.instant();
        var change = repository
                .lockAccount(id, server.id())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("account does not exist")))
                .flatMap(current -> {
                    allowed(server, current, "account");
                    return repository.updateAccount(id, status, now);
                });
        return tx.transactional(change).map(rows -> new CallbackBodies.AccountUpdated(true, id, status));
    }

    private static void allowed(ActiveServer server, CallbackRepository.Owned current, String what) {
        if (!server.isAssign() && !current.mine()) {
            throw ApiException.forbidden("forbidden", "this server holds no link of that " + what);
        }
    }

    static UUID uuid(String value, String field) {
        if (value == null) {
            throw ApiException.badRequest(field + " is required");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + " must be a UUID");
        }
    }
}
