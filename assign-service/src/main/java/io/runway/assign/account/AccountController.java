package io.runway.assign.account;

import io.runway.assign.web.Callers;
import io.runway.assign.web.ListBody;
import io.runway.assign.web.Params;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import io.runway.common.id.UuidV7;
import io.runway.common.likepion.DataBody;
import java.time.Clock;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Posting accounts: listed by the Assign API, created and changed by operators. */
@RestController
class AccountController {

    private static final Set<String> STATUSES = Set.of("active", "inactive", "banned", "locked");

    private final AccountRepository accounts;
    private final Clock clock;

    AccountController(AccountRepository accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    @GetMapping("/api/v1/worker/accounts")
    Mono<ListBody<AccountView>> list(
            CallerPrincipal caller,
            @RequestParam(name = "group_id", required = false) String groupId,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String limit) {
        Callers.requireAssignServer(caller);
        return accounts.list(
                        Params.optionalUuid("group_id", groupId),
                        Params.oneOf("status", status, STATUSES),
                        Params.limit(limit, 1000, 5000))
                .collectList()
                .map(ListBody::of);
    }

    @PostMapping("/api/v1/admin/accounts")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<DataBody<AccountView>> create(CallerPrincipal caller, @RequestBody AccountBody body) {
        Callers.requireAdmin(caller);
        if (body.email() == null || body.email().isBlank()) {
            throw ApiException.badRequest("email is required");
        }
        var change = change(body);
        if (change.groupId() == null) {
            throw ApiException.badRequest("group_id is required");
        }
        var id = UuidV7.next(clock);
        return accounts.insert(id, change, clock.instant())
                .then(accounts.find(id))
                .map(DataBody::of);
    }

    @PutMapping("/api/v1/admin/accounts/{id}")
    Mono<DataBody<AccountView>> update(CallerPrincipal caller, @PathVariable String id, @RequestBody AccountBody body) {
        Callers.requireAdmin(caller);
        var accountId = Params.uuid("id", id);
        var change = change(body);
        if (change.isEmpty()) {
            throw ApiException.badRequest(
                    "nothing to update: send at least one of group_id, email, username, password, about, status");
        }
        return accounts.update(accountId, change, clock.instant())
                .flatMap(rows -> rows == 0
                        ? Mono.error(ApiException.notFound("account " + accountId + " not found"))
                        : accounts.find(accountId))
                .map(DataBody::of);
    }

    private static AccountRepository.AccountChange change(AccountBody body) {
        return new AccountRepository.AccountChange(
                Params.optionalUuid("group_id", body.groupId()),
                body.email() == null ? null : body.email().trim(),
                body.username(),
                body.password(),
                body.about(),
                Params.oneOf("status", body.status(), STATUSES));
    }

    /** Body of account creation and change. */
    record AccountBody(String groupId, String email, String username, String password, String about, String status) {}
}
