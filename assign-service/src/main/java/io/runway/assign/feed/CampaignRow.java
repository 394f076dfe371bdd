package io.runway.assign.feed;

import java.util.Map;
import java.util.UUID;

/**
 * A request as the campaigns view shows it: its links by status, progress in percent ({@code created_links} of the
 * target, or finished of all links when there is no target), completions per minute, and links stale right now.
 */
record CampaignRow(
        UUID id,
        String name,
        String serviceType,
        String status,
        int target,
        int createdLinks,
        int priority,
        Map<String, Long> counts,
        long total,
        double progress,
        double linksPerMinute,
        long stale) {

    CampaignRow withRate(double perMinute) {
        return new CampaignRow(
                id,
                name,
                serviceType,
                status,
                target,
                createdLinks,
                priority,
                counts,
                total,
                progress,
                perMinute,
                stale);
    }

    static double progress(int target, int createdLinks, Map<String, Long> counts, long total) {
        if (target > 0) {
            return Math.min(100.0, Math.round(1000.0 * createdLinks / target) / 10.0);
        }
        if (total == 0) {
            return 0;
        }
        long finished = counts.getOrDefault("completed", 0L)
                + counts.getOrDefault("failed", 0L)
                + counts.getOrDefault("canceled", 0L);
        return Math.round(1000.0 * finished / total) / 10.0;
    }
}
