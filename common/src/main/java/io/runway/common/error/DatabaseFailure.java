package io.runway.common.error;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.ConnectException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * What a failure from the database means to the caller, read from its SQLSTATE or its kind, never from its message:
 * the caller's data refused (400), a uniqueness conflict (409), or the database out of reach (503, retry later).
 *
 * @param status the answer's status
 * @param code the error code of the LIKEPION and SocialKing faces
 * @param message what the caller is told (never the SQL or the driver's text)
 */
public record DatabaseFailure(HttpStatus status, String code, String message) {

    /** How long a caller should wait before retrying a 503, in seconds. */
    public static final String RETRY_AFTER_SECONDS = "5";

    /** The meaning of {@code failure}, or {@code null} when it is not a database failure the caller can act on. */
    public static DatabaseFailure of(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof R2dbcNonTransientResourceException
                    || cause instanceof R2dbcTransientResourceException
                    || cause instanceof ConnectException) {
                return unavailable();
            }
            // no connection from the pool in time, or a statement cancelled by its timeout: the database is too slow
            // or away, and the same request may well succeed a few seconds later
            if ((cause instanceof R2dbcTimeoutException || cause instanceof QueryTimeoutException)
                    && !(cause instanceof R2dbcException r2dbc && isCallersData(r2dbc.getSqlState()))) {
                return unavailable();
            }
            if (cause instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null) {
                return ofSqlState(r2dbc.getSqlState());
            }
        }
        return null;
    }

    /** The answer, with {@code Retry-After} when the database is out of reach. */
    public <B> ResponseEntity<B> response(B body) {
        var response = ResponseEntity.status(status);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response.body(body);
    }

    static DatabaseFailure ofSqlState(String sqlState) {
        if (sqlState.equals("23505")) {
            return new DatabaseFailure(HttpStatus.CONFLICT, "conflict", "a record with the same key already exists");
        }
        if (sqlState.startsWith("22") || sqlState.startsWith("23")) {
            return new DatabaseFailure(
                    HttpStatus.BAD_REQUEST,
                    "invalid_request",
                    "the request holds a value that cannot be stored (for example a NUL character or a number out of range)");
        }
        if (sqlState.startsWith("08")
                || sqlState.startsWith("53")
                || sqlState.startsWith("57P")
                || sqlState.equals("57014")) {
            return unavailable();
        }
        return null;
    }

    private static boolean isCallersData(String sqlState) {
        return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"));
    }

    private static DatabaseFailure unavailable() {
        return new DatabaseFailure(
                HttpStatus.SERVICE_UNAVAILABLE,
                "service_unavailable",
                "the database is unavailable; retry in " + RETRY_AFTER_SECONDS + " s");
    }
}
