package io.runway.worker.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The outcome of one task update: {@code error} is {@code not_found}, {@code not_your_task}, … when refused. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemResult(String linkId, boolean success, String error, @JsonIgnore String message) {

    static ItemResult ok(String linkId) {
        return new ItemResult(linkId, true, null, null);
    }

    static ItemResult refused(String linkId, String error, String message) {
        return new ItemResult(linkId, false, error, message);
    }
}
