package io.runway.common.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;

class DatabaseFailureTests {

    @Test
    void whatTheCallerSentIsABadRequestOrAConflictBySqlState() {
        assertThat(DatabaseFailure.of(wrapped("22021")).status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(DatabaseFailure.of(wrapped("22003")).status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(DatabaseFailure.of(wrapped("23503")).status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(DatabaseFailure.of(wrapped("23514")).status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(DatabaseFailure.of(wrapped("23505")).status()).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void aDatabaseOutOfReachIsServiceUnavailableWithRetryAfter() {
        var down = DatabaseFailure.of(new DataAccessResourceFailureException(
                "no connection", new R2dbcNonTransientResourceException("refused")));
        assertThat(down.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(down.response("body").getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(DatabaseFailure.of(new IllegalStateException(new ConnectException("refused")))
                        .status())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(DatabaseFailure.of(wrapped("57P01")).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void noConnectionInTimeOrAStatementTimeoutIsServiceUnavailableToo() {
        var acquire = new QueryTimeoutException(
                "pool", new R2dbcTimeoutException("Connection acquisition timed out after 2000ms"));
        assertThat(DatabaseFailure.of(acquire).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(DatabaseFailure.of(new R2dbcTimeoutException("canceling statement", "57014"))
                        .status())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void otherFailuresAreNotTheDatabasesAndNoMessageLeaks() {
        assertThat(DatabaseFailure.of(new IllegalStateException("bug"))).isNull();
        assertThat(DatabaseFailure.of(wrapped("42601"))).isNull();
        assertThat(DatabaseFailure.of(wrapped("22021")).message()).doesNotContain("SELECT");
    }

    private static Exception wrapped(String sqlState) {
        return new DataIntegrityViolationException(
                "SELECT secret FROM t", new R2dbcDataIntegrityViolationException("driver text", sqlState));
    }
}
