package io.runway.gateway.auth;

/** Why a request could not be authenticated; {@code reason} is a low-cardinality metric tag. */
final class AuthenticationException extends RuntimeException {

    private final String reason;

    AuthenticationException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
