package io.runway.worker.task;

import java.util.List;

/** Answer of {@code PUT /tasks/bulk}. */
record BulkUpdateResponse(int total, int success, int failed, List<ItemResult> results) {

    static BulkUpdateResponse of(List<ItemResult> results) {
        int ok = (int) results.stream().filter(ItemResult::success).count();
        return new BulkUpdateResponse(results.size(), ok, results.size() - ok, results);
    }
}
