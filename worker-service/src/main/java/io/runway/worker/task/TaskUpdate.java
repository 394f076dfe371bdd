package io.runway.worker.task;

/** Body of {@code PUT /tasks/:id}, and one item of {@code PUT /tasks/bulk} (with {@code link_id}). */
public record TaskUpdate(
        String linkId,
        String status,
        String linkProfile,
        String linkPost,
        String errorMessage,
        String note,
        Boolean isIndexed) {

    static final int MAX_URL_LENGTH = 2_048;
    static final int MAX_TEXT_LENGTH = 10_000;

    /** What makes this update unusable apart from its link and status, or {@code null}. */
    String problem() {
        if (status == null
                && linkProfile == null
                && linkPost == null
                && errorMessage == null
                && note == null
                && isIndexed == null) {
            return "nothing to update: send at least one of status, link_profile, link_post, error_message, note,"
                    + " is_indexed";
        }
        return firstOf(
                tooLong("link_profile", linkProfile, MAX_URL_LENGTH),
                tooLong("link_post", linkPost, MAX_URL_LENGTH),
                tooLong("error_message", errorMessage, MAX_TEXT_LENGTH),
                tooLong("note", note, MAX_TEXT_LENGTH));
    }

    private static String tooLong(String field, String value, int max) {
        return value != null && value.length() > max ? field + " is longer than " + max + " characters" : null;
    }

    private static String firstOf(String... problems) {
        for (var problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    TaskUpdate withLinkId(String id) {
        return new TaskUpdate(id, status, linkProfile, linkPost, errorMessage, note, isIndexed);
    }

    TaskUpdate withStatus(String newStatus) {
        return new TaskUpdate(linkId, newStatus, linkProfile, linkPost, errorMessage, note, isIndexed);
    }
}
