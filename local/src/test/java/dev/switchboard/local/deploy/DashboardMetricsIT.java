package dev.switchboard.local.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.local.FreePorts;
import dev.switchboard.local.IdentityProvider;
import dev.switchboard.local.DemoTenant;
import dev.switchboard.local.Platform;
import dev.switchboard.local.Service;
import dev.switchboard.sandbox.WhatsAppSandbox;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.Infrastructure;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.WhatsAppWebhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (Debian's package) scrapes the five services and postgres_exporter,
 * configured from {@code deploy/prometheus} with only the addresses replaced, while the
 * platform handles the traffic every dashboard shows. Then every metric that any panel of
 * any provisioned dashboard queries must exist in Prometheus, and every query must be
 * valid PromQL.
 */
class DashboardMetricsIT {

	private static final DemoTenant TENANT = DemoTenant.DEFAULT;

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Path work = Path.of("target/dashboard-metrics").toAbsolutePath();

	private static final List<AutoCloseable> running = new ArrayList<>();

	private static Platform platform;

	private static PrometheusServer prometheus;

	private static WhatsAppSandbox sandbox;

	private static String ownerToken;

	@BeforeAll
	static void start() throws Exception {
		Path prometheusBinary = Binaries.prometheus().orElse(null);
		Path exporterBinary = Binaries.postgresExporter().orElse(null);
		Assumptions.assumeTrue(prometheusBinary != null && exporterBinary != null,
				"Skipped: prometheus and prometheus-postgres-exporter are not on the PATH; " + Binaries.INSTALL_HINT);
		Files.createDirectories(work);
		Infrastructure infrastructure = RealInfrastructure.get();
		Database database = infrastructure.database();

		List<Service> services = List.of(new Service("gateway-service", FreePorts.next(), FreePorts.next()),
				new Service("inbox-service", FreePorts.next(), FreePorts.next()),
				new Service("routing-service", FreePorts.next(), FreePorts.next()),
				new Service("audit-service", FreePorts.next(), FreePorts.next()),
				new Service("billing-service", FreePorts.next(), FreePorts.next()),
				new Service(Platform.CONSOLE, FreePorts.next(), FreePorts.next()));
		Map<String, Integer> ports = new HashMap<>();
		// Prometheus scrapes the management ports.
		services.forEach((service) -> ports.put(service.name(), service.managementPort()));
		int exporterPort = FreePorts.next();
		ports.put("postgres-exporter", exporterPort);

		running.add(startExporter(exporterBinary, database, exporterPort));
		Path tokenFile = work.resolve("sre-token");
		Files.writeString(tokenFile, "not-yet-minted");
		Path config = writePrometheusConfig(ports, tokenFile);
		Path storage = Files.createTempDirectory(work, "tsdb");
		prometheus = PrometheusServer.start(prometheusBinary, config, storage, FreePorts.next(),
				work.resolve("prometheus.log"));
		running.add(prometheus);

		String graphToken = Platform.Settings.randomJwtSecret();
		int gatewayPort = services.get(0).port();
		sandbox = WhatsAppSandbox.start(new WhatsAppSandbox.Settings(0, graphToken,
				URI.create("http://localhost:" + gatewayPort + "/webhooks/whatsapp"), TENANT.appSecret(),
				TENANT.phoneNumberId(), Duration.ofMillis(100)));
		Map<String, String> environment = new HashMap<>(
				Platform.Settings.sandboxEnvironment(sandbox.url(), graphToken));
		environment.putAll(observabilitySettingsOfTheKubernetesDeployment());
		// Small pools: this machine's PostgreSQL may serve other test runs at the same
		// time.
		environment.put("SPRING_R2DBC_POOL_INITIAL_SIZE", "1");
		environment.put("SPRING_R2DBC_POOL_MAX_SIZE", "4");
		environment.put("SWITCHBOARD_ROUTING_GAUGE_INTERVAL", "1s");
		environment.put("SWITCHBOARD_AUDIT_METRICS_INTERVAL", "1s");
		environment.put("SWITCHBOARD_AUDIT_VERIFY_INITIAL_DELAY", "1s");
		environment.putAll(IdentityProvider.user("nina", TENANT.id(), "AGENT"));
		platform = Platform.start(new Platform.Settings(snapshotOfTheJars(services), work.resolve("logs"),
				infrastructure.kafkaBootstrapServers(),
				new Platform.Settings.Database(database.host(), database.port(), database.name(), database.username(),
						database.password()),
				services, TENANT, Duration.ofSeconds(300), FreePorts.next(), environment));
		ownerToken = token("olivia");
		Files.writeString(tokenFile, token("sam"));
	}

	@AfterAll
	static void stop() throws Exception {
		if (platform != null) {
			platform.close();
		}
		if (sandbox != null) {
			sandbox.close();
		}
		for (AutoCloseable process : running.reversed()) {
			process.close();
		}
	}

	@Test
	void whenThePlatformServesTrafficThenEveryDashboardPanelsMetricsExistInPrometheus() throws Exception {
		produceEveryKindOfTraffic();
		List<DashboardQueries.Query> queries = DashboardQueries.read(Repository.deploy().resolve("grafana/dashboards"));
		Set<String> metrics = new LinkedHashSet<>();
		queries.forEach((query) -> metrics.addAll(query.metricNames()));

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(prometheus.targets()).as("scrape targets")
				.hasSize(7)
				.allSatisfy((target) -> assertThat(target.health()).as(target.toString()).isEqualTo("up")));
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			Files.write(work.resolve("metric-names.txt"), prometheus.metricNames());
			List<String> missing = new ArrayList<>();
			for (DashboardQueries.Query query : queries) {
				for (String metric : query.metricNames()) {
					if (!prometheus.hasSeries(metric)) {
						missing.add(query.dashboard() + " / " + query.panel() + ": " + metric);
					}
				}
			}
			assertThat(missing).as("panels whose metrics Prometheus does not have").isEmpty();
		});
		for (DashboardQueries.Query query : queries) {
			JsonNode result = prometheus
				.query(query.expr().replace("$__rate_interval", "1m").replace("$__range", "1h"));
			assertThat(result.has("error")).as(query + " -> " + result).isFalse();
		}
		assertThat(metrics).as("metrics the dashboards query").hasSizeGreaterThan(20);
	}

	@Test
	void whenPrometheusLoadsTheRuleFilesThenEveryAlertIsThere() throws Exception {
		Set<String> alerts = new LinkedHashSet<>();
		try (var files = Files.list(Repository.deploy().resolve("prometheus/rules"))) {
			for (Path file : files.toList()) {
				try (Reader reader = Files.newBufferedReader(file)) {
					Map<String, List<Map<String, Object>>> rules = new Yaml().load(reader);
					for (Map<String, Object> group : rules.get("groups")) {
						for (Object rule : (List<?>) group.get("rules")) {
							Object alert = ((Map<?, ?>) rule).get("alert");
							if (alert != null) {
								alerts.add(alert.toString());
							}
						}
					}
				}
			}
		}
		assertThat(alerts).isNotEmpty();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(prometheus.alertNames()).containsExactlyInAnyOrderElementsOf(alerts));
	}

	/**
	 * Webhooks accepted and refused, a duplicate, a team with one agent of capacity one
	 * (an assignment, then a queue), an agent's reply from a registered device that the
	 * sandbox ticks to read (a send, statuses, a first response, a charge), a window that
	 * closes unanswered (an escalation), one that arrives expired, and a verification of
	 * the audit log.
	 */
	private static void produceEveryKindOfTraffic() throws Exception {
		String team = "support-" + UUID.randomUUID().toString().substring(0, 8);
		String agentToken = token("nina");
		assertOk(send(ownerToken, "PUT", "/api/v1/agents/nina",
				"{\"displayName\":\"Nina\",\"capacity\":1,\"skills\":[]}"));
		assertOk(send(agentToken, "PUT", "/api/v1/agents/me/presence", "{\"presence\":\"ONLINE\"}"));
		assertOk(send(ownerToken, "POST", "/api/v1/teams",
				"{\"teamId\":\"%s\",\"name\":\"Support\",\"strategy\":\"ROUND_ROBIN\",\"isDefault\":true}"
					.formatted(team)));
		assertOk(send(ownerToken, "PUT", "/api/v1/teams/" + team + "/members/nina", "{}"));

		String answered = customer();
		String body = WhatsAppWebhooks.textMessage(TENANT.phoneNumberId(), answered, "Giulia",
				"wamid." + UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.SECONDS), "Is my order shipped?");
		assertThat(webhook(body, WhatsAppWebhooks.signature(TENANT.appSecret(), body)).statusCode()).isEqualTo(200);
		assertThat(webhook(body, WhatsAppWebhooks.signature(TENANT.appSecret(), body)).statusCode()).as("Meta's retry")
			.isEqualTo(200);
		assertThat(webhook(body, WhatsAppWebhooks.signature("not-the-app-secret", body)).statusCode()).isEqualTo(401);

		String queued = customer();
		assertThat(sandbox.customerWrites(queued, "Jonas", "Hallo").webhookStatus()).isEqualTo(200);
		String closing = customer();
		String closingSoon = WhatsAppWebhooks.textMessage(TENANT.phoneNumberId(), closing, "Lucia",
				"wamid." + UUID.randomUUID(),
				Instant.now().minus(24, ChronoUnit.HOURS).plusSeconds(120).truncatedTo(ChronoUnit.SECONDS), "Ciao?");
		assertThat(webhook(closingSoon, WhatsAppWebhooks.signature(TENANT.appSecret(), closingSoon)).statusCode())
			.isEqualTo(200);
		String expired = customer();
		String tooLate = WhatsAppWebhooks.textMessage(TENANT.phoneNumberId(), expired, "Marco",
				"wamid." + UUID.randomUUID(),
				Instant.now().minus(24, ChronoUnit.HOURS).minusSeconds(60).truncatedTo(ChronoUnit.SECONDS), "Pronto?");
		assertThat(webhook(tooLate, WhatsAppWebhooks.signature(TENANT.appSecret(), tooLate)).statusCode())
			.isEqualTo(200);

		HttpResponse<String> device = send(ownerToken, "POST", "/api/v1/devices",
				"{\"name\":\"Nina's phone\",\"kind\":\"PHONE\",\"agentId\":\"nina\"}");
		assertThat(device.statusCode()).as(device.body()).isEqualTo(201);
		String deviceId = json.readTree(device.body()).path("id").asString();
		String conversation = ConversationIds.of(TENANT.id(), answered);
		String messageId = await().atMost(Duration.ofSeconds(30)).until(() -> {
			HttpResponse<String> sent = http.send(HttpRequest
				.newBuilder(URI.create(gateway() + "/api/v1/conversations/" + conversation + "/messages"))
				.header("Authorization", "Bearer " + agentToken)
				.header("Content-Type", "application/json")
				.header("X-Device-Id", deviceId)
				.POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"text\",\"text\":\"On its way!\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			return (sent.statusCode() == 202) ? json.readTree(sent.body()).path("id").asString() : null;
		}, java.util.Objects::nonNull);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					json.readTree(send(ownerToken, "GET", "/api/v1/messages/" + messageId, null).body())
						.path("status")
						.asString())
				.isEqualTo("READ"));
		awaitWindow(closing, "CLOSING");
		awaitWindow(expired, "EXPIRED");
		HttpResponse<String> verification = send(ownerToken, "GET", "/api/v1/audit/verify", null);
		assertThat(verification.statusCode()).as(verification.body()).isEqualTo(200);
	}

	/**
	 * Copies each service's jar into a directory of its own, so that a module rebuilt
	 * while this test runs cannot change a jar under a starting service. A jar is taken
	 * once it has not changed for two seconds and its zip directory reads; an unchanged
	 * jar is not copied again.
	 */
	private static Path snapshotOfTheJars(List<Service> services) throws IOException {
		Path home = work.resolve("home");
		List<String> names = new ArrayList<>(services.stream().map(Service::name).toList());
		names.add(IdentityProvider.NAME);
		for (String name : names) {
			Path jar = Path.of(name, "target", name + ".jar");
			Path source = Repository.root().resolve(jar);
			Path copy = home.resolve(jar);
			Files.createDirectories(copy.getParent());
			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
				FileTime modified = Files.getLastModifiedTime(source);
				long size = Files.size(source);
				if (modified.toInstant().isAfter(Instant.now().minusSeconds(2))) {
					return false;
				}
				if (!Files.exists(copy) || Files.size(copy) != size
						|| !Files.getLastModifiedTime(copy).equals(modified)) {
					Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
				}
				try (ZipFile zip = new ZipFile(copy.toFile())) {
					assertThat(zip.size()).isPositive();
				}
				return Files.getLastModifiedTime(source).equals(modified) && Files.size(source) == size;
			});
		}
		return home;
	}

	private static void awaitWindow(String waId, String state) {
		String conversation = ConversationIds.of(TENANT.id(), waId);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(json
				.readTree(send(ownerToken, "GET", "/api/v1/conversations/" + conversation + "/window", null).body())
				.path("state")
				.asString()).isEqualTo(state));
	}

	private static Map<String, String> observabilitySettingsOfTheKubernetesDeployment() throws IOException {
		try (Reader reader = Files.newBufferedReader(Repository.deploy().resolve("k8s/switchboard-config.yaml"))) {
			Map<String, Object> configMap = new Yaml().load(reader);
			Map<String, String> settings = new LinkedHashMap<>();
			((Map<?, ?>) configMap.get("data")).forEach((key, value) -> {
				if (key.toString().startsWith("MANAGEMENT_") || key.toString().equals("SPRING_APPLICATION_JSON")) {
					settings.put(key.toString(), value.toString());
				}
			});
			assertThat(settings).as("metric settings in the ConfigMap").isNotEmpty();
			return settings;
		}
	}

	/**
	 * deploy/prometheus/prometheus.yml with its addresses pointed at this machine, the
	 * scrape interval shortened, and the rule files and token file made absolute.
	 */
	@SuppressWarnings("unchecked")
	private static Path writePrometheusConfig(Map<String, Integer> ports, Path tokenFile) throws IOException {
		Path source = Repository.deploy().resolve("prometheus/prometheus.yml");
		Map<String, Object> config;
		try (Reader reader = Files.newBufferedReader(source)) {
			config = new Yaml().load(reader);
		}
		Map<String, Object> global = (Map<String, Object>) config.get("global");
		global.put("scrape_interval", "1s");
		global.put("evaluation_interval", "1s");
		config.put("rule_files",
				((List<String>) config.get("rule_files")).stream()
					.map((pattern) -> source.getParent().resolve(pattern).toString())
					.toList());
		Path targets = work.resolve("targets");
		Files.createDirectories(targets);
		for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
			for (Map<String, Object> staticConfig : (List<Map<String, Object>>) job.getOrDefault("static_configs",
					List.of())) {
				staticConfig.put("targets",
						((List<String>) staticConfig.get("targets")).stream()
							.map((target) -> local(target, ports))
							.toList());
			}
			if (job.get("authorization") instanceof Map<?, ?> authorization) {
				((Map<String, Object>) authorization).put("credentials_file", tokenFile.toString());
			}
			for (Map<String, Object> fileSd : (List<Map<String, Object>>) job.getOrDefault("file_sd_configs",
					List.of())) {
				List<String> files = new ArrayList<>();
				for (String pattern : (List<String>) fileSd.get("files")) {
					Path original = source.getParent().resolve(pattern.replace("*", ""));
					List<Map<String, Object>> groups;
					try (Reader reader = Files.newBufferedReader(original)) {
						groups = new Yaml().load(reader);
					}
					for (Map<String, Object> group : groups) {
						group.put("targets",
								((List<String>) group.get("targets")).stream()
									.map((target) -> local(target, ports))
									.toList());
					}
					Path copy = targets.resolve(original.getFileName());
					dump(groups, copy);
					files.add(copy.toString());
				}
				fileSd.put("files", files);
			}
		}
		Path written = work.resolve("prometheus.yml");
		dump(config, written);
		return written;
	}

	private static String local(String target, Map<String, Integer> ports) {
		String host = target.substring(0, target.indexOf(':'));
		Integer port = ports.get(host);
		assertThat(port).as("a local port for scrape target " + target).isNotNull();
		return "127.0.0.1:" + port;
	}

	private static void dump(Object yaml, Path file) throws IOException {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		try (Writer writer = Files.newBufferedWriter(file)) {
			new Yaml(options).dump(yaml, writer);
		}
	}

	private static AutoCloseable startExporter(Path binary, Database database, int port) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(binary.toString(),
				"--extend.query-path=" + Repository.deploy().resolve("postgres-exporter/queries.yaml"),
				"--web.listen-address=127.0.0.1:" + port)
			.redirectErrorStream(true)
			.redirectOutput(work.resolve("postgres-exporter.log").toFile());
		builder.environment()
			.put("DATA_SOURCE_NAME", "postgresql://%s:%s@%s:%d/%s?sslmode=disable".formatted(database.username(),
					database.password(), database.host(), database.port(), database.name()));
		Process process = builder.start();
		return () -> {
			process.destroy();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		};
	}

	private static String customer() {
		return "39" + (300_000_000L + (long) (Math.random() * 600_000_000L));
	}

	private static void assertOk(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.request().uri() + ": " + response.body()).isBetween(200, 299);
	}

	private static HttpResponse<String> webhook(String body, String signature) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(gateway() + "/webhooks/whatsapp"))
			.header("Content-Type", "application/json")
			.header("X-Hub-Signature-256", signature)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway() + path))
			.header("Authorization", "Bearer " + token);
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A token of the local provider, as a script gets one ({@code client_credentials}).
	 */
	private static String token(String user) throws Exception {
		return IdentityProvider.token(http, platform.issuer(), user);
	}

	private static String gateway() {
		return platform.service("gateway-service").url();
	}

}
