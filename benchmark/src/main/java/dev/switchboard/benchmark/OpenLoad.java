package dev.switchboard.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * An open-model load: webhooks leave at a fixed arrival rate whatever the gateway's
 * answers take. Each latency is measured from the instant the webhook was due, not from
 * when it could be sent, so a stalled gateway shows in the figures (no coordinated
 * omission), including the time a webhook waited for one of the pool's connections.
 * <p>
 * The client is Netty's on one event loop with a bounded pool of keep-alive connections,
 * as a webhook sender keeps them: the JDK's client opened a connection for every request
 * in flight, so once the gateway fell behind the load grew by thousands of connection
 * set-ups, and it spent about 0.7 ms of CPU per webhook where this one spends a fraction.
 */
final class OpenLoad implements AutoCloseable {

	/** Webhooks posted and not yet answered, waiting for a connection included. */
	private static final int MAX_IN_FLIGHT = 4096;

	/** Keep-alive connections to the gateway. */
	private static final int CONNECTIONS = 256;

	private final LoopResources loops = LoopResources.create("open-load", 1, true);

	private final ConnectionProvider connections = ConnectionProvider.builder("open-load")
		.maxConnections(CONNECTIONS)
		.pendingAcquireMaxCount(-1)
		.pendingAcquireTimeout(Duration.ofSeconds(60))
		.build();

	private final List<HttpClient> gateways;

	OpenLoad(GatewayClient gateway) {
		this(List.of(gateway));
	}

	/**
	 * @param gateways the gateway replicas; the webhooks take turns among them
	 */
	OpenLoad(List<GatewayClient> gateways) {
		// No automatic retry: a webhook the gateway did not answer is reported, as Meta
		// would see it, and reposting is the fault scenarios' decision.
		this.gateways = gateways.stream()
			.map((gateway) -> HttpClient.create(this.connections)
				.runOn(this.loops)
				.baseUrl(gateway.url())
				.disableRetry(true)
				.responseTimeout(Duration.ofSeconds(30)))
			.toList();
	}

	/**
	 * Posts the webhooks at {@code ratePerSecond}.
	 * @param webhooks what to post, in order
	 * @param ratePerSecond arrivals per second
	 * @param during called with the index of each webhook just before it is due (fault
	 * injection); may block briefly
	 * @return what the gateway answered
	 */
	Result run(List<Webhook> webhooks, double ratePerSecond, IntConsumer during) {
		byte[][] bodies = new byte[webhooks.size()][];
		for (int i = 0; i < bodies.length; i++) {
			bodies[i] = webhooks.get(i).body().getBytes(StandardCharsets.UTF_8);
		}
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
			post(this.gateways.get(i % this.gateways.size()), bodies[i], webhook.signature()).subscribe((status) -> {
				statuses.computeIfAbsent(status, (s) -> new AtomicLong()).incrementAndGet();
				if (status == 200) {
					latencies.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
					if (webhook.inbound()) {
						acked.add(webhook.wamid());
					}
				}
				// Last: the load ends once every permit is back, and then every answer
				// must have been counted (released first, the last answer or two could
				// be missing from the result).
				inFlight.release();
			});
		}
		inFlight.acquireUninterruptibly(MAX_IN_FLIGHT);
		inFlight.release(MAX_IN_FLIGHT);
		long elapsedNanos = System.nanoTime() - startNanos;
		Histogram histogram = latencies.getIntervalHistogram();
		Map<Integer, Long> counts = new TreeMap<>();
		statuses.forEach((status, count) -> counts.put(status, count.get()));
		return new Result(webhooks.size(), acked, firstDue, counts, histogram, startMillis,
				TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
	}

	/**
	 * Posts one signed webhook.
	 * @return its HTTP status, 0 when there was no answer
	 */
	private Mono<Integer> post(HttpClient http, byte[] body, String signature) {
		return http.post().uri("/webhooks/whatsapp").send((request, outbound) -> {
			request.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
				.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
				.header("X-Hub-Signature-256", signature);
			return outbound.send(Mono.just(Unpooled.wrappedBuffer(body)));
		}).responseSingle((response, content) -> content.then(Mono.just(response.status().code()))).onErrorReturn(0);
	}

	@Override
	public void close() {
		this.connections.dispose();
		this.loops.dispose();
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
