package dev.switchboard.local.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardQueriesTests {

	@Test
	void whenAQueryAggregatesARateThenOnlyTheMetricIsNamed() {
		assertThat(DashboardQueries.metricNames(
				"sum by (application, status) (rate(http_server_requests_seconds_count{job=~\"switchboard-.*\", status!=\"200\"}[5m]))"))
			.containsExactly("http_server_requests_seconds_count");
	}

	@Test
	void whenAQueryCombinesMetricsThenEachIsNamedOnce() {
		assertThat(DashboardQueries.metricNames("histogram_quantile(0.95, sum by (le, team) "
				+ "(rate(switchboard_routing_first_response_seconds_bucket[15m]))) / ignoring(team) group_left "
				+ "max(up) or vector(0) and on(application) switchboard_routing_first_response_seconds_bucket offset 5m"))
			.containsExactly("switchboard_routing_first_response_seconds_bucket", "up");
	}

	@Test
	void whenAQueryUsesGrafanaVariablesAndLiteralsThenTheyAreNotMetrics() {
		assertThat(DashboardQueries.metricNames(
				"sum(increase(switchboard_billing_charges_total{category=~\"$category\"}[$__range])) > 1e3 * 2"))
			.containsExactly("switchboard_billing_charges_total");
	}

}
