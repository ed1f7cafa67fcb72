package dev.switchboard.benchmark;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-model load: webhooks leave at a fixed arrival rate whatever the gateway's
 * answers take. Each latency is measured from the instant the webhook was due, not from
 * when it could be sent, so a stalled gateway shows in the figures (no coordinated
 * omission).
 */
final class OpenLoad {

	private static final int MAX_IN_FLIGHT = 4096;

	private final GatewayClient gateway;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.executor(Executors.newFixedThreadPool(2))
		.build();

	OpenLoad(GatewayClient gateway) {
		this.gateway = gateway;
	}

	/**
	 * Posts the webhooks at {@code ratePerSecond}.
	 * @param webhooks what to post, in order
	 * @param ratePerSecond arrivals per second
	 * @param during called with the index of each webhook just before it is due (fault
	 * injection); may block briefly
	 * @return what the gateway answered
	 */
	Result run(List<Webhook> webhooks, double ratePerSecond, java.util.function.IntConsumer during) {
		Recorder latencies = new Recorder(3);
		Set<String> acked = ConcurrentHashMap.newKeySet();
		Map<String, Long> firstDue = new ConcurrentHashMap<>();
		Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
		Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
		long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
		long startNanos = System.nanoTime();
		long startMillis = System.currentTimeMillis();
		for (int i = 0; i < webhooks.size(); i++) {
			during.accept(i);
			Webhook webhook = webhooks.get(i);
			long due = startNanos + i * intervalNanos;
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			long dueMillis = startMillis + (due - startNanos) / 1_000_000;
			if (webhook.inbound()) {
				firstDue.putIfAbsent(webhook.conversationId(), dueMillis);
			}
			inFlight.acquireUninterruptibly();
			this.gateway.webhookAsync(this.http, webhook.body(), webhook.signature())
				.whenComplete((response, error) -> {
					inFlight.release();
					long latency = System.nanoTime() - due;
					int status = (error != null) ? 0 : response.statusCode();
					statuses.computeIfAbsent(status, (s) -> new AtomicLong()).incrementAndGet();
					if (status == 200) {
						latencies.recordValue(Math.max(1, latency / 1000));
						if (webhook.inbound()) {
							acked.add(webhook.wamid());
						}
					}
				});
		}
		inFlight.acquireUninterruptibly(MAX_IN_FLIGHT);
		inFlight.release(MAX_IN_FLIGHT);
		long elapsedNanos = System.nanoTime() - startNanos;
		Histogram histogram = latencies.getIntervalHistogram();
		Map<Integer, Long> counts = new java.util.TreeMap<>();
		statuses.forEach((status, count) -> counts.put(status, count.get()));
		return new Result(webhooks.size(), acked, firstDue, counts, histogram, startMillis,
				TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
	}

	/**
	 * What a load did.
	 *
	 * @param sent webhooks posted
	 * @param ackedWamids inbound wamids the gateway answered 200 for
	 * @param firstDueMillis per conversation, when its first message was due (epoch ms)
	 * @param statuses HTTP status counts (0: no answer)
	 * @param ackLatencyMicros webhook ack latency of the 200s, µs
	 * @param startMillis when the load began (epoch ms)
	 * @param elapsedMillis how long until the last answer
	 */
	record Result(int sent, Set<String> ackedWamids, Map<String, Long> firstDueMillis, Map<Integer, Long> statuses,
			Histogram ackLatencyMicros, long startMillis, long elapsedMillis) {

		long ok() {
			return this.statuses.getOrDefault(200, 0L);
		}

		double percentileMillis(double percentile) {
			return this.ackLatencyMicros.getValueAtPercentile(percentile) / 1000.0;
		}

	}

}
