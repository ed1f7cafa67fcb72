package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How long a customer's message takes to show in an open console while the platform takes
 * a steady stream of them: signs a user in to the console the way a browser does
 * (authorization code + PKCE through the provider's login form, the session cookie kept),
 * holds the console's live stream ({@code GET /console/events}, server-sent events) open,
 * posts signed webhooks of new customers at a fixed rate through the gateway, and
 * measures from each post to the {@code conversation-<id>} event of its conversation
 * arriving on the stream. Not a timed test: a measurement against a running platform
 * ({@code ./start-local}), reported in docs/console-benchmarks.md.
 *
 * <p>
 * Arguments: gateway URL (http://127.0.0.1:8080), webhooks per second (100), seconds
 * measured (60), user (olivia), password (demo). The first 10 seconds warm up and are not
 * counted.
 */
public final class ConsoleLatency {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final Duration WARM_UP = Duration.ofSeconds(10);

	private static final Duration DRAIN = Duration.ofSeconds(15);

	private ConsoleLatency() {
	}

	public static void main(String[] args) throws Exception {
		URI gateway = URI.create(argument(args, 0, "http://127.0.0.1:8080"));
		int rate = Integer.parseInt(argument(args, 1, "100"));
		int seconds = Integer.parseInt(argument(args, 2, "60"));
		String user = argument(args, 3, "olivia");
		String password = argument(args, 4, "demo");

		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.followRedirects(HttpClient.Redirect.NORMAL)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		signIn(browser, gateway, user, password);

		Map<String, Long> posted = new ConcurrentHashMap<>();
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch open = new CountDownLatch(1);
		Thread stream = Thread.ofPlatform().daemon().name("console-live").start(() -> {
			try {
				HttpResponse<Stream<String>> response = browser
					.send(HttpRequest.newBuilder(gateway.resolve("/console/events"))
						.header("Accept", "text/event-stream")
						.build(), HttpResponse.BodyHandlers.ofLines());
				if (response.statusCode() != 200) {
					throw new IllegalStateException("The live stream answered " + response.statusCode());
				}
				open.countDown();
				response.body().forEach((line) -> {
					if (line.startsWith("event:conversation-")) {
						Long at = posted.remove(line.substring("event:conversation-".length()).strip());
						if (at != null && at > 0) {
							latencies.add(System.nanoTime() - at);
						}
					}
				});
			}
			catch (IOException | InterruptedException | RuntimeException ex) {
				Harness.log("live stream ended: " + ex);
			}
		});
		if (!open.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The live stream did not open");
		}

		HttpClient webhooks = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		String run = Long.toString(System.currentTimeMillis() % 100_000_000L);
		AtomicInteger sent = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		long warmUp = WARM_UP.toSeconds() * rate;
		long total = warmUp + (long) seconds * rate;
		ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
		CountDownLatch done = new CountDownLatch(1);
		Harness.log("posting %d webhooks/s for %d s (+%d s warm-up) to %s, %s watching the console".formatted(rate,
				seconds, WARM_UP.toSeconds(), gateway, user));
		clock.scheduleAtFixedRate(() -> {
			int index = sent.getAndIncrement();
			if (index >= total) {
				done.countDown();
				return;
			}
			Webhook webhook = Webhook.message(Webhook.waId(run, index), "wamid.console-%s-%d".formatted(run, index),
					Instant.now(), "Where is my order?");
			// A warm-up message is awaited (removed when it shows) but not counted.
			posted.put(webhook.conversationId(), (index < warmUp) ? -1L : System.nanoTime());
			webhooks
				.sendAsync(HttpRequest.newBuilder(gateway.resolve("/webhooks/whatsapp"))
					.header("Content-Type", "application/json")
					.header("X-Hub-Signature-256", webhook.signature())
					.POST(HttpRequest.BodyPublishers.ofString(webhook.body()))
					.build(), HttpResponse.BodyHandlers.discarding())
				.thenAccept((response) -> {
					if (response.statusCode() != 200) {
						refused.incrementAndGet();
					}
				});
		}, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
		done.await();
		clock.shutdownNow();
		long deadline = System.nanoTime() + DRAIN.toNanos();
		while (posted.values().stream().anyMatch((at) -> at > 0) && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		stream.interrupt();

		List<Long> sorted;
		synchronized (latencies) {
			sorted = latencies.stream().sorted().toList();
		}
		long missing = posted.values().stream().filter((at) -> at > 0).count();
		System.out.println("| Rate | Measured | Missing (not shown within %d s) | Refused | p50 | p95 | p99 | max |"
			.formatted(DRAIN.toSeconds()));
		System.out.println("|---|---|---|---|---|---|---|---|");
		System.out.printf("| %d/s | %d | %d | %d | %s | %s | %s | %s |%n", rate, sorted.size(), missing, refused.get(),
				millis(sorted, 0.50), millis(sorted, 0.95), millis(sorted, 0.99), millis(sorted, 1.0));
		System.exit(0);
	}

	/**
	 * Signs in as a browser does: the console sends the browser to the provider, whose
	 * login form (with its CSRF token) is posted, and the provider sends it back with a
	 * code the console exchanges; the session cookie is what is left.
	 */
	static void signIn(HttpClient browser, URI gateway, String user, String password)
			throws IOException, InterruptedException {
		// The provider shows its login form only to a client that asks for a page.
		HttpResponse<String> login = browser.send(
				HttpRequest.newBuilder(gateway.resolve("/console")).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher csrf = CSRF.matcher(login.body());
		if (login.statusCode() != 200 || !csrf.find()) {
			throw new IllegalStateException(
					"Expected the provider's login form at " + login.uri() + ", got " + login.statusCode());
		}
		String form = "username=" + encode(user) + "&password=" + encode(password) + "&_csrf=" + encode(csrf.group(1));
		HttpResponse<String> console = browser.send(HttpRequest.newBuilder(login.uri().resolve("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (console.statusCode() != 200 || !console.uri().getPath().startsWith("/console")) {
			throw new IllegalStateException(
					"Signing in as " + user + " ended at " + console.uri() + " with " + console.statusCode());
		}
		Harness.log("signed in to the console as " + user + " (" + console.uri() + ")");
	}

	static String millis(List<Long> sorted, double quantile) {
		if (sorted.isEmpty()) {
			return "–";
		}
		int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
		return "%d ms".formatted(TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, index))));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String argument(String[] args, int index, String fallback) {
		return (args.length > index) ? args[index] : fallback;
	}

}
