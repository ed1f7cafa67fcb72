package dev.switchboard.local.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/** A real Prometheus server, a child process on a free port with its own storage. */
final class PrometheusServer implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Process process;

	private final String url;

	private PrometheusServer(Process process, int port) {
		this.process = process;
		this.url = "http://127.0.0.1:" + port;
	}

	static PrometheusServer start(Path binary, Path config, Path storage, int port, Path log) throws IOException {
		Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + storage, "--web.listen-address=127.0.0.1:" + port)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		PrometheusServer server = new PrometheusServer(process, port);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			if (!process.isAlive()) {
				throw new IllegalStateException("prometheus exited with " + process.exitValue() + ", see " + log);
			}
			return server.isReady();
		});
		return server;
	}

	private boolean isReady() {
		try {
			return http
				.send(HttpRequest.newBuilder(URI.create(this.url + "/-/ready")).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * The scrape targets and their health.
	 * @return "job instance health lastError" per active target
	 */
	List<Target> targets() throws IOException, InterruptedException {
		List<Target> targets = new ArrayList<>();
		for (JsonNode target : get("/api/v1/targets?state=active").path("data").path("activeTargets")) {
			targets.add(new Target(target.path("labels").path("job").asString(),
					target.path("labels").path("instance").asString(), target.path("health").asString(),
					target.path("lastError").asString("")));
		}
		return targets;
	}

	/**
	 * Whether Prometheus holds at least one series of the metric.
	 * @param metric the metric name
	 * @return true if a series exists
	 */
	boolean hasSeries(String metric) throws IOException, InterruptedException {
		JsonNode answer = get("/api/v1/series?match[]=" + URLEncoder.encode(metric, StandardCharsets.UTF_8));
		return "success".equals(answer.path("status").asString()) && !answer.path("data").isEmpty();
	}

	/**
	 * Evaluates an instant query.
	 * @param expr PromQL
	 * @return the answer's {@code data}, or a node with {@code error} if it was refused
	 */
	JsonNode query(String expr) throws IOException, InterruptedException {
		JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
		return "success".equals(answer.path("status").asString()) ? answer.path("data") : answer;
	}

	/**
	 * Every metric name Prometheus holds.
	 * @return names
	 */
	List<String> metricNames() throws IOException, InterruptedException {
		List<String> names = new ArrayList<>();
		get("/api/v1/label/__name__/values").path("data").forEach((name) -> names.add(name.asString()));
		return names;
	}

	/**
	 * The names of the loaded alerting rules.
	 * @return alert names
	 */
	List<String> alertNames() throws IOException, InterruptedException {
		List<String> names = new ArrayList<>();
		for (JsonNode group : get("/api/v1/rules?type=alert").path("data").path("groups")) {
			for (JsonNode rule : group.path("rules")) {
				names.add(rule.path("name").asString());
			}
		}
		return names;
	}

	private JsonNode get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create(this.url + path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		return json.readTree(response.body());
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	/**
	 * A scrape target.
	 *
	 * @param job its job
	 * @param instance its address
	 * @param health up, down or unknown
	 * @param lastError why the last scrape failed
	 */
	record Target(String job, String instance, String health, String lastError) {

	}

}
