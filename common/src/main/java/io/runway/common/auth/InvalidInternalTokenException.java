package io.runway.common.auth;

/** Raised when a request's internal token is missing, forged, expired or malformed. */
public final class InvalidInternalTokenException extends RuntimeException {

    public InvalidInternalTokenException(String message) {
        super(message, null, false, false);
    }
}
