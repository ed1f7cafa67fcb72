package dev.switchboard.benchmark;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time between a webhook and its assignment goes: how many batches each
 * consumer and each outbox relay handled, how many records each held and how long each
 * took, read from the services' own metrics ({@code switchboard.events.batch},
 * {@code switchboard.events.batch.records}, {@code switchboard.outbox.relay},
 * {@code switchboard.outbox.published}) before and after a stage.
 */
final class BatchFigures {

	private static final Pattern CONSUMER = Pattern.compile("consumer=\"([^\"]+)\"");

	private final Map<String, double[]> totals;

	private BatchFigures(Map<String, double[]> totals) {
		this.totals = totals;
	}

	/**
	 * Reads the totals so far.
	 * @param services the running services
	 * @return batches, seconds and records so far, per consumer and per relay
	 * @throws IOException if a service does not answer
	 */
	static BatchFigures read(Services services) throws IOException {
		Map<String, double[]> totals = new LinkedHashMap<>();
		// The gateway consumes nothing, and its metrics need a token.
		for (String service : Services.NAMES.subList(1, Services.NAMES.size())) {
			Services.Metrics metrics = services.metrics(service);
			add(totals, metrics.series("switchboard_events_batch_seconds_count"), 0);
			add(totals, metrics.series("switchboard_events_batch_seconds_sum"), 1);
			add(totals, metrics.series("switchboard_events_batch_records_sum"), 2);
			String relay = service.replace("-service", "") + " relay";
			totals.computeIfAbsent(relay, (key) -> new double[3])[0] += sum(
					metrics.series("switchboard_outbox_relay_seconds_count"));
			totals.get(relay)[1] += sum(metrics.series("switchboard_outbox_relay_seconds_sum"));
			totals.get(relay)[2] += sum(metrics.series("switchboard_outbox_published_total"));
		}
		return new BatchFigures(totals);
	}

	/**
	 * What happened between two readings.
	 * @param before the earlier reading
	 * @return per consumer and relay that handled a batch in between: batches × records
	 * per batch, and the mean time of a batch
	 */
	String since(BatchFigures before) {
		StringJoiner figures = new StringJoiner("; ");
		this.totals.forEach((name, now) -> {
			double[] then = before.totals.getOrDefault(name, new double[3]);
			double batches = now[0] - then[0];
			if (batches > 0) {
				figures.add(String.format(Locale.ROOT, "%s %.0f × %.0f in %.0f ms", name, batches,
						(now[2] - then[2]) / batches, (now[1] - then[1]) * 1000 / batches));
			}
		});
		return figures.toString();
	}

	private static void add(Map<String, double[]> totals, Map<String, Double> series, int index) {
		series.forEach((labels, value) -> {
			Matcher consumer = CONSUMER.matcher(labels);
			if (consumer.find()) {
				totals.computeIfAbsent(consumer.group(1), (key) -> new double[3])[index] += value;
			}
		});
	}

	private static double sum(Map<String, Double> series) {
		return series.values().stream().mapToDouble(Double::doubleValue).sum();
	}

}
