package io.runway.gateway.error;

/** Raised when a request body exceeds its route's byte limit. */
public final class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limit) {
        super("Request body exceeds the limit of " + limit + " bytes for this endpoint", null, false, false);
    }
}
