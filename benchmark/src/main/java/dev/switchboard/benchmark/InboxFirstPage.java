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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How long the inbox's first page takes with a full tenant (issue 24: under 1 s with
 * 10,000 conversations): against a running platform ({@code ./start-local}), posts signed
 * inbound webhooks of {@code conversations} new customers to the demo tenant, waits until
 * the inbox counts them all as waiting, then signs an agent (mario) and the owner
 * (olivia) in to the console as a browser does ({@link ConsoleLatency#signIn}) and times
 * {@code loads} sequential loads of the inbox page and of the list fragment htmx
 * re-reads, and of the API call behind them ({@code GET /api/v1/conversations}, with a
 * bearer token of the user's {@code client_credentials} grant), per tab and with a text
 * filter. Not a timed test: a measurement, reported in docs/console-benchmarks.md.
 * <p>
 * Loads start at least {@link #PACE} apart: an inbox page is three API calls, and the
 * gateway's per-key limit (20/s) would otherwise answer 429 and the figures would measure
 * the limit. A 429 is counted and the load repeated after a second. The first
 * {@link #WARM_UP} loads of each row are not counted.
 * <p>
 * Arguments: gateway URL (http://127.0.0.1:8080), provider URL (http://127.0.0.1:9000),
 * conversations to create (10000; 0 measures what the tenant holds), loads per row (50),
 * webhooks per second (300).
 */
public final class InboxFirstPage {

	private static final Duration PACE = Duration.ofMillis(250);

	/**
	 * Loads of each row before those timed: the services start with a quick-start JIT.
	 */
	private static final int WARM_UP = 5;

	private static final Duration PERSISTED_WITHIN = Duration.ofMinutes(10);

	private static final String TEXT = "customer 4242";

	private InboxFirstPage() {
	}

	public static void main(String[] args) throws Exception {
		URI gateway = URI.create(argument(args, 0, "http://127.0.0.1:8080"));
		String issuer = argument(args, 1, "http://127.0.0.1:9000");
		int conversations = Integer.parseInt(argument(args, 2, "10000"));
		int loads = Integer.parseInt(argument(args, 3, "50"));
		double rate = Double.parseDouble(argument(args, 4, "300"));

		GatewayClient api = new GatewayClient(gateway.toString().replaceAll("/$", ""), issuer, "demo");
		String ownerToken = api.token("olivia");
		if (conversations > 0) {
			create(api, ownerToken, conversations, rate);
		}
		long waiting = api.json(ownerToken, "GET", "/api/v1/conversations/unread-counts", null, 200)
			.path("all")
			.asLong();
		Harness.log("the tenant has %d conversations waiting for an answer; measuring %d loads per row"
			.formatted(waiting, loads));

		// The API calls carry only the bearer token, as a script's would: no console
		// cookie.
		HttpClient script = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		List<String> rows = new ArrayList<>();
		for (String user : List.of("mario", "olivia")) {
			HttpClient browser = HttpClient.newBuilder()
				.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
				.followRedirects(HttpClient.Redirect.NORMAL)
				.connectTimeout(Duration.ofSeconds(5))
				.build();
			ConsoleLatency.signIn(browser, gateway, user, "demo");
			Predicate<String> list = (body) -> body.contains("id=\"conversation-list\"");
			for (String path : List.of("/console/inbox", "/console/inbox?view=all", "/console/inbox/list?view=mine",
					"/console/inbox/list?view=unassigned", "/console/inbox/list?view=all",
					"/console/inbox/list?view=all&q=" + encode(TEXT))) {
				rows.add(row(user, "console", path, time(browser, gateway.resolve(path), null, loads, list)));
			}
			String token = api.token(user);
			Predicate<String> page = (body) -> body.contains("\"items\"");
			for (String query : List.of("assignee=me", "assignee=none", "", "q=" + encode(TEXT))) {
				String path = "/api/v1/conversations?limit=50" + (query.isEmpty() ? "" : "&" + query);
				rows.add(row(user, "API", path, time(script, gateway.resolve(path), token, loads, page)));
			}
		}
		System.out.printf("%n%d conversations waiting in the tenant, %d sequential loads per row, load average %s%n%n",
				waiting, loads, loadAverage());
		System.out.println("| User | Via | Request | Loads | 429s | Load avg (1 min) | p50 | p95 | max |");
		System.out.println("|---|---|---|---|---|---|---|---|---|");
		rows.forEach(System.out::println);
		System.exit(0);
	}

	/**
	 * Posts one inbound message from each of {@code count} new customers and waits until
	 * the inbox counts them as waiting for an answer (persisted, not only accepted).
	 */
	private static void create(GatewayClient api, String ownerToken, int count, double rate)
			throws InterruptedException {
		long before = waiting(api, ownerToken);
		String run = Long.toString(System.currentTimeMillis() % 100_000_000L);
		Harness
			.log("posting %d webhooks of new customers at %.0f/s (%d waiting before)".formatted(count, rate, before));
		OpenLoad.Result result;
		try (OpenLoad load = new OpenLoad(api)) {
			result = load.run(Webhook.messages(run, count, count), rate, (index) -> {
			});
		}
		Harness.log("posted in %d ms, answers %s".formatted(result.elapsedMillis(), result.statuses()));
		long expected = before + result.ackedWamids().size();
		long deadline = System.nanoTime() + PERSISTED_WITHIN.toNanos();
		long now = before;
		while ((now = waiting(api, ownerToken)) < expected && System.nanoTime() < deadline) {
			Thread.sleep(2000);
		}
		if (now < expected) {
			throw new IllegalStateException("Only %d of %d conversations persisted within %s".formatted(now - before,
					expected - before, PERSISTED_WITHIN));
		}
		Harness.log("all %d conversations persisted (%d waiting)".formatted(expected - before, now));
	}

	private static long waiting(GatewayClient api, String token) {
		JsonNode counts = api.json(token, "GET", "/api/v1/conversations/unread-counts", null, 200);
		return counts.path("all").asLong();
	}

	/** Sequential timed GETs; each must answer 200 with what shows the first page. */
	private static Timing time(HttpClient client, URI uri, @Nullable String token, int loads, Predicate<String> shown)
			throws IOException, InterruptedException {
		List<Long> nanos = new ArrayList<>();
		int limited = 0;
		int warmUp = WARM_UP;
		while (nanos.size() < loads) {
			HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
			if (token != null) {
				request.header("Authorization", "Bearer " + token);
			}
			else {
				request.header("Accept", "text/html");
			}
			long start = System.nanoTime();
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			long took = System.nanoTime() - start;
			if (response.statusCode() == 429) {
				limited++;
				Thread.sleep(1000);
				continue;
			}
			if (response.statusCode() != 200 || !shown.test(response.body())) {
				throw new IllegalStateException("GET " + uri + " answered " + response.statusCode()
						+ " without the first page (ended at " + response.uri() + ")");
			}
			if (warmUp > 0) {
				warmUp--;
			}
			else {
				nanos.add(took);
			}
			long rest = PACE.toNanos() - took;
			if (rest > 0) {
				TimeUnit.NANOSECONDS.sleep(rest);
			}
		}
		return new Timing(nanos.stream().sorted().toList(), limited, loadAverage().split(" ")[0]);
	}

	private static String row(String user, String via, String path, Timing timing) {
		String row = "| %s | %s | `%s` | %d | %d | %s | %s | %s | %s |".formatted(user, via, path,
				timing.sorted().size(), timing.limited(), timing.loadAverage(),
				ConsoleLatency.millis(timing.sorted(), 0.50), ConsoleLatency.millis(timing.sorted(), 0.95),
				ConsoleLatency.millis(timing.sorted(), 1.0));
		Harness.log(row);
		return row;
	}

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String argument(String[] args, int index, String fallback) {
		return (args.length > index) ? args[index] : fallback;
	}

	/**
	 * Sorted durations of the loads that were answered, and how many were rate-limited.
	 */
	private record Timing(List<Long> sorted, int limited, String loadAverage) {

	}

}
