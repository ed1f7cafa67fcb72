package dev.switchboard.console.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of the gateway's Prometheus page the SRE's page shows: uptime, and the
 * requests it answered by outcome.
 *
 * @param uptimeSeconds how long the gateway has run
 * @param requestsByOutcome requests answered, by Micrometer's outcome (SUCCESS,
 * CLIENT_ERROR, SERVER_ERROR, ...)
 */
record GatewayMetrics(long uptimeSeconds, Map<String, Long> requestsByOutcome) {

	private static final Pattern SAMPLE = Pattern
		.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*\\})?\\s+(\\S+)");

	private static final Pattern OUTCOME = Pattern.compile("outcome=\"([^\"]*)\"");

	/**
	 * Reads the exposition text.
	 * @param text the Prometheus page
	 * @return the figures
	 */
	static GatewayMetrics parse(String text) {
		double uptime = 0;
		Map<String, Long> outcomes = new LinkedHashMap<>();
		for (String line : text.split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (line.startsWith("#") || !sample.find()) {
				continue;
			}
			String name = sample.group(1);
			double value = value(sample.group(3));
			if (name.equals("process_uptime_seconds")) {
				uptime = value;
			}
			else if (name.equals("http_server_requests_seconds_count") && sample.group(2) != null) {
				Matcher outcome = OUTCOME.matcher(sample.group(2));
				if (outcome.find()) {
					outcomes.merge(outcome.group(1), Math.round(value), Long::sum);
				}
			}
		}
		return new GatewayMetrics(Math.round(uptime), outcomes);
	}

	private static double value(String text) {
		try {
			return Double.parseDouble(text);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
