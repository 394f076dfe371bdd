package io.runway.common.error;

/**
 * The error body of the LIKEPION and SocialKing faces: {@code {"success": false, "error": "<code>", "message": "..."}}.
 */
public record ErrorBody(boolean success, String error, String message) {

    public static ErrorBody of(String error, String message) {
        return new ErrorBody(false, error, message);
    }
}
