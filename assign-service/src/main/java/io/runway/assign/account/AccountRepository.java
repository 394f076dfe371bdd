package io.runway.assign.account;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and changes {@code accounts}. */
@Repository
class AccountRepository {

    private static final String COLUMNS =
            """
            SELECT id, group_id, email, username, password, about, status, created_at, updated_at FROM accounts
            """;

    private final DatabaseClient db;

    AccountRepository(DatabaseClient db) {
        this.db = db;
    }

    Flux<AccountView> list(UUID groupId, String status, int limit) {
        return db.sql(
                        COLUMNS
                                + """
                        WHERE (:groupId::uuid IS NULL OR group_id = :groupId)
                          AND (:status::text IS NULL OR status = :status)
                        ORDER BY email, id LIMIT :limit
                        """)
                .bind("groupId", Parameter.fromOrEmpty(groupId, UUID.class))
                .bind("status", Parameter.fromOrEmpty(status, String.class))
                .bind("limit", limit)
                .map(AccountRepository::map)
                .all();
    }

    Mono<AccountView> find(UUID id) {
        return db.sql(COLUMNS + " WHERE id = :id")
                .bind("id", id)
                .map(AccountRepository::map)
                .one();
    }

    Mono<Void> insert(UUID id, AccountChange account, Instant now) {
        return db.sql(
                        """
                        INSERT INTO accounts (id, group_id, email, username, password, about, status,
                                              created_at, updated_at)
                        VALUES (:id, :groupId, :email, :username, :password, :about, :status, :now, :now)
                        """)
                .bind("id", id)
                .bind("groupId", account.groupId())
                .bind("email", account.email())
                .bind("username", Parameter.fromOrEmpty(account.username(), String.class))
                .bind("password", Parameter.fromOrEmpty(account.password(), String.class))
                .bind("about", Parameter.fromOrEmpty(account.about(), String.class))
                .bind("status", account.status() == null ? "active" : account.status())
                .bind("now", now)
                .then();
    }

    Mono<Long> update(UUID id, AccountChange change, Instant now) {
        return db.sql(
                        """
                        UPDATE accounts SET group_id = COALESCE(:groupId, group_id), email = COALESCE(:email, email),
                            username = COALESCE(:username, username), password = COALESCE(:password, password),
                            about = COALESCE(:about, about), status = COALESCE(:status, status), updated_at = :now
                        WHERE id = :id
                        """)
                .bind("id", id)
                .bind("groupId", Parameter.fromOrEmpty(change.groupId(), UUID.class))
                .bind("email", Parameter.fromOrEmpty(change.email(), String.class))
                .bind("username", Parameter.fromOrEmpty(change.username(), String.class))
                .bind("password", Parameter.fromOrEmpty(change.password(), String.class))
                .bind("about", Parameter.fromOrEmpty(change.about(), String.class))
                .bind("status", Parameter.fromOrEmpty(change.status(), String.class))
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    private static AccountView map(Readable row) {
        return new AccountView(
                row.get("id", UUID.class),
                row.get("group_id", UUID.class),
                row.get("email", String.class),
                row.get("username", String.class),
                row.get("password", String.class),
                row.get("about", String.class),
                row.get("status", String.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }

    /** Account fields to create or change; {@code null} keeps the current value. */
    record AccountChange(UUID groupId, String email, String username, String password, String about, String status) {

        boolean isEmpty() {
            return groupId == null
                    && email == null
                    && username == null
                    && password == null
                    && about == null
                    && status == null;
        }
    }
}
