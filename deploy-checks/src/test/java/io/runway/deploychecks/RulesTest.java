package io.runway.deploychecks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the live check relies on. */
class RulesTest {

    @Test
    void findsMetricNamesNotFunctionsLabelsOrGroupings() {
        var expr = "sum by (route) (rate(gateway_requests_seconds_count{outcome=\"5xx\",route=~\"$route\"}[5m]))"
                + " / on (route) group_left max(up) > 0.05 and histogram_quantile(0.99, x_bucket[$__rate_interval])";
        assertThat(Rules.metricNames(expr)).containsExactly("gateway_requests_seconds_count", "up", "x_bucket");
    }
}
