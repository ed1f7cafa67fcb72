package dev.switchboard.console.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayMetricsTests {

	@Test
	void whenThePrometheusPageIsReadThenUptimeAndRequestsByOutcomeAreSummed() {
		String page = """
				# HELP process_uptime_seconds The uptime of the Java virtual machine
				# TYPE process_uptime_seconds gauge
				process_uptime_seconds{application="gateway-service"} 3605.4
				http_server_requests_seconds_count{application="gateway-service",error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/api/v1/devices"} 12
				http_server_requests_seconds_count{application="gateway-service",error="none",exception="none",method="POST",outcome="SUCCESS",status="202",uri="/api/v1/conversations/{id}/messages"} 3
				http_server_requests_seconds_count{application="gateway-service",error="none",exception="none",method="GET",outcome="CLIENT_ERROR",status="403",uri="/api/v1/messages/{id}/info"} 1
				http_server_requests_seconds_sum{application="gateway-service",error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/api/v1/devices"} 0.4
				""";

		GatewayMetrics metrics = GatewayMetrics.parse(page);

		assertThat(metrics.uptimeSeconds()).isEqualTo(3605);
		assertThat(metrics.requestsByOutcome()).containsExactly(java.util.Map.entry("SUCCESS", 15L),
				java.util.Map.entry("CLIENT_ERROR", 1L));
	}

	@Test
	void whenThePageIsEmptyThenNothingIsCounted() {
		assertThat(GatewayMetrics.parse("")).isEqualTo(new GatewayMetrics(0, java.util.Map.of()));
	}

}
