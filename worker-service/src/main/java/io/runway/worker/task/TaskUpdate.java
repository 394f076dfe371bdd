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

    TaskUpdate withLinkId(String id) {
        return new TaskUpdate(id, status, linkProfile, linkPost, errorMessage, note, isIndexed);
    }

    TaskUpdate withStatus(String newStatus) {
        return new TaskUpdate(linkId, newStatus, linkProfile, linkPost, errorMessage, note, isIndexed);
    }
}
