package dev.switchboard.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.local.deploy.ServiceProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This machine has no Docker engine, so docker-compose.yml is checked by reading it:
 * every image it builds, every dependency, port and environment variable it names must
 * exist; it ships no secret, publishes only the gateway (on loopback unless told
 * otherwise) and gives every service a database login of its own.
 */
class DockerComposeTests {

	private static final Pattern SECRET_LIKE = Pattern
		.compile("(?i).*(password|_pass$|secret|token|credential|api_?key|_key$|private).*");

	private static final Pattern REQUIRED = Pattern.compile("\\$\\{(\\w+):\\?[^}]+\\}");

	private static String text;

	private static Path root;

	private static Map<String, Map<String, Object>> services;

	@BeforeAll
	@SuppressWarnings("unchecked")
	static void readCompose() throws IOException {
		root = Path.of("").toAbsolutePath();
		while (!Files.exists(root.resolve("docker-compose.yml"))) {
			root = root.getParent();
			assertThat(root).as("docker-compose.yml above the module").isNotNull();
		}
		text = Files.readString(root.resolve("docker-compose.yml"));
		try (Reader reader = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
			Map<String, Object> compose = new Yaml().load(reader);
			services = (Map<String, Map<String, Object>>) compose.get("services");
		}
		assertThat(services).containsKeys("kafka", "postgres", "keycloak", "gateway-service", "inbox-service",
				"routing-service", "audit-service", "billing-service", "console", "prometheus", "grafana",
				"postgres-exporter", "alertmanager", "whatsapp-sandbox");
	}

	@Test
	void whenComposeBuildsAServiceThenItsDockerfileCopiesThatModulesJarAndExposesItsPort() throws IOException {
		for (Map.Entry<String, Map<String, Object>> service : built()) {
			Path context = root.resolve(String.valueOf(service.getValue().get("build")));
			Path dockerfile = context.resolve("Dockerfile");
			assertThat(dockerfile).as(service.getKey()).exists();
			String text = Files.readString(dockerfile);
			assertThat(text).contains("COPY target/" + context.getFileName() + ".jar");
			assertThat(root.resolve(context.getFileName() + "/pom.xml")).as("module of " + service.getKey()).exists();
			assertThat(text).contains("EXPOSE " + serverPort(service) + " " + managementPort(service));
		}
	}

	@Test
	void whenAServiceDependsOnAnotherThenItExistsAndIsWaitedForUntilHealthy() {
		for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
			assertThat(service.getValue()).as(service.getKey() + " healthcheck").containsKey("healthcheck");
			Object dependsOn = service.getValue().get("depends_on");
			if (dependsOn instanceof Map<?, ?> dependencies) {
				dependencies.forEach((name, condition) -> {
					assertThat(services).as(service.getKey() + " depends on").containsKey(String.valueOf(name));
					assertThat(((Map<?, ?>) condition).get("condition")).as(service.getKey() + " -> " + name)
						.isEqualTo("service_healthy");
				});
			}
			else {
				assertThat(dependsOn).as(service.getKey() + " depends_on must name conditions").isNull();
			}
		}
	}

	@Test
	void whenComposeSetsAnEnvironmentVariableThenTheServiceReadsThatProperty() throws IOException {
		for (Map.Entry<String, Map<String, Object>> service : built()) {
			Path yml = root.resolve(service.getKey()).resolve("src/main/resources/application.yml");
			assertThat(yml).as(service.getKey()).exists();
			ServiceProperties properties = ServiceProperties.of(yml);
			for (String variable : environment(service.getValue()).keySet()) {
				if (!ServiceProperties.isProperty(variable)) {
					continue;
				}
				assertThat(properties.binds(variable))
					.as("%s sets %s, which its application.yml does not read", service.getKey(), variable)
					.isTrue();
			}
		}
	}

	@Test
	void whenAServiceIsHealthCheckedThenOnItsManagementPortWhichIsItsServerPortPlus1000() {
		for (Map.Entry<String, Map<String, Object>> service : built()) {
			String port = managementPort(service);
			assertThat(Integer.parseInt(port)).as(service.getKey())
				.isEqualTo(Integer.parseInt(serverPort(service)) + 1000);
			assertThat(service.getValue().get("healthcheck").toString()).as(service.getKey())
				.contains("localhost:" + port + "/actuator/health/readiness");
		}
	}

	@Test
	void whenComposePublishesPortsThenOnlyTheGatewaysApiAndOnLoopbackUnlessToldOtherwise() {
		assertThat(strings(services.get("gateway-service").get("ports")))
			.containsExactly("${SWITCHBOARD_BIND_ADDRESS:-127.0.0.1}:8080:8080");
		for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
			if (service.getKey().equals("gateway-service")) {
				continue;
			}
			List<String> ports = strings(service.getValue().get("ports"));
			if ((service.getValue().containsKey("build") && !service.getKey().equals("whatsapp-sandbox"))
					|| List.of("kafka", "postgres", "postgres-exporter").contains(service.getKey())) {
				assertThat(ports).as(service.getKey() + " is reachable inside the compose network only").isEmpty();
			}
			assertThat(ports).as(service.getKey() + " is published on this machine only")
				.allSatisfy((mapping) -> assertThat(mapping).startsWith("127.0.0.1:"));
		}
	}

	@Test
	void whenASettingIsSecretThenComposeRequiresItAndShipsNoDefault() {
		Set<String> required = new LinkedHashSet<>();
		for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
			environment(service.getValue()).forEach((name, value) -> {
				if (SECRET_LIKE.matcher(name).matches()) {
					Matcher variable = REQUIRED.matcher(String.valueOf(value));
					assertThat(variable.matches())
						.as("%s of %s must be ${VAR:?message}, not %s", name, service.getKey(), value)
						.isTrue();
					required.add(variable.group(1));
				}
			});
		}
		Matcher defaulted = Pattern.compile("\\$\\{(\\w+):?-").matcher(text);
		while (defaulted.find()) {
			assertThat(SECRET_LIKE.matcher(defaulted.group(1)).matches()).as(defaulted.group(1) + " has a default")
				.isFalse();
		}
		assertThat(required).contains("POSTGRES_PASSWORD", "GATEWAY_DB_PASSWORD", "INBOX_DB_PASSWORD",
				"ROUTING_DB_PASSWORD", "BILLING_DB_PASSWORD", "AUDIT_DB_OWNER_PASSWORD", "AUDIT_DB_APP_PASSWORD",
				"EXPORTER_DB_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "KEYCLOAK_ADMIN_PASSWORD", "TENANT_APP_SECRET",
				"TENANT_VERIFY_TOKEN", "SWITCHBOARD_MASTER_KEY", "SWITCHBOARD_AUDIT_SIGNING_KEY",
				"SWITCHBOARD_IDENTITY_SIGNING_KEY", "SWITCHBOARD_WHATSAPP_ACCESS_TOKEN");
		assertThat(environment(services.get("gateway-service"))).containsKeys("SWITCHBOARD_SECURITY_JWT_ISSUER_URI",
				"SWITCHBOARD_SECURITY_JWT_JWK_SET_URI", "SWITCHBOARD_GATEWAY_TENANTS_0_WABA_ID");
		assertThat(environment(services.get("gateway-service"))).as("the gateway verifies no identity token")
			.doesNotContainKey("SWITCHBOARD_IDENTITY_JWK_SET_URI");
		for (Map.Entry<String, Map<String, Object>> service : withDatabase()) {
			if (!service.getKey().equals("gateway-service")) {
				assertThat(environment(service.getValue())).as(service.getKey())
					.containsEntry("SWITCHBOARD_IDENTITY_JWK_SET_URI",
							"http://gateway-service:8080/.well-known/switchboard/jwks.json")
					.doesNotContainKey("SWITCHBOARD_IDENTITY_SIGNING_KEY");
			}
		}
	}

	@Test
	void whenServicesUseTheDatabaseThenEachHasItsOwnLoginAndAuditsRuntimeLoginIsNotItsMigrationLogin()
			throws IOException {
		String initScript = Files.readString(root.resolve("deploy/postgres/init.sh"));
		String initSql = Files.readString(root.resolve("deploy/postgres/init.sql")).replaceAll("--[^\n]*", "");
		Map<String, String> logins = new LinkedHashMap<>();
		for (Map.Entry<String, Map<String, Object>> service : withDatabase()) {
			Object login = environment(service.getValue()).get("SWITCHBOARD_DB_USERNAME");
			assertThat(login).as(service.getKey() + " SWITCHBOARD_DB_USERNAME").isNotNull();
			logins.put(service.getKey(), login.toString());
		}
		assertThat(logins.values()).doesNotHaveDuplicates().doesNotContain("postgres", "switchboard");
		Map<String, Object> audit = environment(services.get("audit-service"));
		assertThat(audit.get("SPRING_FLYWAY_USER")).as("audit's migration login")
			.isNotNull()
			.isNotEqualTo(logins.get("audit-service"));
		assertThat(audit.get("SPRING_FLYWAY_PASSWORD")).isNotEqualTo(audit.get("SWITCHBOARD_DB_PASSWORD"));
		List<String> all = new ArrayList<>(logins.values());
		all.add(audit.get("SPRING_FLYWAY_USER").toString());
		all.add(environment(services.get("postgres-exporter")).get("DATA_SOURCE_USER").toString());
		for (String login : all) {
			assertThat(initScript).as("init.sh creates " + login).containsPattern("-v \\w+_user=" + login + " ");
		}
		for (String schema : List.of("gateway", "inbox", "routing", "billing")) {
			assertThat(initSql).contains("CREATE SCHEMA " + schema + " AUTHORIZATION :\"" + schema + "_user\";");
		}
		assertThat(initSql).contains("CREATE SCHEMA audit AUTHORIZATION :\"audit_owner_user\";")
			.contains("REVOKE CREATE ON SCHEMA public FROM PUBLIC;")
			.doesNotContainIgnoringCase("SUPERUSER")
			.doesNotContainIgnoringCase("CREATEROLE")
			.doesNotContainIgnoringCase("CREATEDB");
		assertThat(strings(services.get("postgres").get("volumes"))).contains(
				"./deploy/postgres/init.sh:/docker-entrypoint-initdb.d/10-switchboard.sh:ro",
				"./deploy/postgres/init.sql:/etc/switchboard/init.sql:ro");
		assertThat(initScript).contains("-f /etc/switchboard/init.sql");
	}

	@Test
	@SuppressWarnings("unchecked")
	void whenPrometheusScrapesATargetThenItIsAComposeServiceOnItsPort() throws IOException {
		Map<String, Object> config;
		try (Reader reader = Files.newBufferedReader(root.resolve("deploy/prometheus/prometheus.yml"))) {
			config = new Yaml().load(reader);
		}
		List<String> targets = new ArrayList<>();
		for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
			for (Map<String, Object> group : (List<Map<String, Object>>) job.getOrDefault("static_configs",
					List.of())) {
				for (String target : (List<String>) group.get("targets")) {
					String host = target.split(":")[0];
					targets.add(host);
					assertThat(services).as("scrape target " + host).containsKey(host);
					assertThat(managementPort(Map.entry(host, services.get(host)))).as("scrape target " + host)
						.isEqualTo(target.split(":")[1]);
				}
			}
		}
		assertThat(targets).containsExactlyInAnyOrder("inbox-service", "routing-service", "audit-service",
				"billing-service", "console", "gateway-service");
	}

	@Test
	@SuppressWarnings("unchecked")
	void whenPrometheusDiscoversTargetsFromFilesThenComposeMountsThemAndRunsEveryTarget() throws IOException {
		assertThat(services.get("prometheus").get("volumes").toString())
			.contains("./deploy/prometheus/targets:/etc/prometheus/targets");
		try (Stream<Path> files = Files.list(root.resolve("deploy/prometheus/targets"))) {
			List<Path> targetFiles = files.filter((file) -> file.toString().endsWith(".yml")).toList();
			assertThat(targetFiles).isNotEmpty();
			for (Path file : targetFiles) {
				try (Reader reader = Files.newBufferedReader(file)) {
					List<Map<String, Object>> groups = new Yaml().load(reader);
					for (Map<String, Object> group : groups) {
						for (String target : (List<String>) group.get("targets")) {
							String host = target.split(":")[0];
							String port = target.split(":")[1];
							assertThat(services).as(file + " names " + host).containsKey(host);
							assertThat(services.get(host).get("healthcheck").toString()).as(host)
								.contains("localhost:" + port + "/");
						}
					}
				}
			}
		}
	}

	@Test
	void whenComposeMountsAFileThenItExistsAndEveryDashboardHasPanelsWithQueries() throws IOException {
		for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
			if (service.getValue().get("volumes") instanceof List<?> volumes) {
				for (Object volume : volumes) {
					String source = volume.toString().split(":")[0];
					if (source.startsWith("./")) {
						assertThat(root.resolve(source)).as(service.getKey() + " mounts " + source).exists();
					}
				}
			}
		}
		JsonMapper json = JsonMapper.builder().build();
		try (Stream<Path> dashboards = Files.list(root.resolve("deploy/grafana/dashboards"))) {
			List<Path> files = dashboards.filter((file) -> file.toString().endsWith(".json")).toList();
			assertThat(files).isNotEmpty();
			for (Path file : files) {
				JsonNode dashboard = json.readTree(file.toFile());
				assertThat(dashboard.path("panels").isArray() && !dashboard.path("panels").isEmpty())
					.as(file.toString())
					.isTrue();
				for (JsonNode panel : dashboard.path("panels")) {
					assertThat(panel.path("targets").path(0).path("expr").asString(""))
						.as(file + " " + panel.path("title"))
						.isNotBlank();
				}
			}
		}
	}

	@Test
	void whenAContainerStopsThenComposeRestartsItUnlessStoppedAndKafkasTopicsStayOnItsVolume() {
		for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
			assertThat(service.getValue().get("restart")).as(service.getKey() + " restart").isEqualTo("unless-stopped");
		}
		String logDirs = environment(services.get("kafka")).get("KAFKA_LOG_DIRS").toString();
		assertThat(strings(services.get("kafka").get("volumes"))).as("Kafka's log directory is its volume")
			.contains("kafka-data:" + logDirs);
	}

	@Test
	void whenAHealthcheckRunsThenItsToolIsInThatImage() throws IOException {
		// What each image has: the services' Dockerfiles install curl on eclipse-temurin;
		// the prom/* and postgres-exporter images are busybox (wget); Grafana's is Alpine
		// (wget); Keycloak's has bash but neither curl nor wget; postgres has pg_isready;
		// apache/kafka has its scripts.
		Map<String, String> tools = Map.of("apache/kafka", "/opt/kafka/bin/kafka-broker-api-versions.sh", "postgres",
				"pg_isready", "quay.io/keycloak/keycloak", "exec 3<>/dev/tcp/",
				"quay.io/prometheuscommunity/postgres-exporter", "wget ", "prom/prometheus", "wget ",
				"prom/alertmanager", "wget ", "grafana/grafana", "wget ");
		for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
			String test = String.join(" ", strings(((Map<?, ?>) service.getValue().get("healthcheck")).get("test")));
			if (service.getValue().containsKey("build")) {
				String dockerfile = Files
					.readString(root.resolve(service.getValue().get("build").toString()).resolve("Dockerfile"));
				assertThat(test).as(service.getKey()).contains("curl -fsS http://localhost:");
				assertThat(dockerfile).as(service.getKey() + " installs curl")
					.contains("install -y --no-install-recommends curl");
				continue;
			}
			String image = service.getValue().get("image").toString().split(":")[0];
			assertThat(tools).as("the healthcheck tool of " + image).containsKey(image);
			assertThat(test).as(service.getKey()).contains(tools.get(image));
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void whenTheSandboxProfileIsUsedThenTheInboxSendsToTheSandboxWhichSignsWithTheTenantsSecret() throws IOException {
		Map<String, Object> sandbox = services.get("whatsapp-sandbox");
		assertThat(strings(sandbox.get("profiles"))).containsExactly("sandbox");
		services
			.forEach((name, service) -> assertThat(name.equals("whatsapp-sandbox") || !service.containsKey("profiles"))
				.as(name + " runs without a profile")
				.isTrue());
		Map<String, Object> env = environment(sandbox);
		Map<String, Object> gateway = environment(services.get("gateway-service"));
		Map<String, Object> inbox = environment(services.get("inbox-service"));
		assertThat(env.get("SANDBOX_ACCESS_TOKEN")).isEqualTo(inbox.get("SWITCHBOARD_WHATSAPP_ACCESS_TOKEN"));
		assertThat(env.get("SANDBOX_APP_SECRET")).isEqualTo(gateway.get("SWITCHBOARD_GATEWAY_TENANTS_0_APP_SECRET"));
		assertThat(env.get("SANDBOX_PHONE_NUMBER_ID"))
			.isEqualTo(gateway.get("SWITCHBOARD_GATEWAY_TENANTS_0_PHONE_NUMBER_ID"));
		assertThat(env.get("SANDBOX_WABA_ID")).isEqualTo(gateway.get("SWITCHBOARD_GATEWAY_TENANTS_0_WABA_ID"));
		assertThat(env.get("SANDBOX_WEBHOOK_URL"))
			.isEqualTo("http://gateway-service:" + gateway.get("SERVER_PORT") + "/webhooks/whatsapp");
		assertThat(strings(sandbox.get("ports"))).containsExactly("127.0.0.1:8090:" + env.get("SANDBOX_PORT"));

		Map<String, String> sandboxEnv = dev.switchboard.local.deploy.ComposeInterpolation
			.readEnvFile(root.resolve("deploy/compose/sandbox.env"), Map.of());
		assertThat(sandboxEnv).containsEntry("COMPOSE_PROFILES", "sandbox")
			.containsEntry("SWITCHBOARD_WHATSAPP_GRAPH_BASE_URL", "http://whatsapp-sandbox:" + env.get("SANDBOX_PORT"));
		// Without the profile, the inbox keeps Meta's Graph API, the default of its
		// application.yml.
		Map<String, Object> inboxYml;
		try (Reader reader = Files
			.newBufferedReader(root.resolve("inbox-service/src/main/resources/application.yml"))) {
			inboxYml = new Yaml().load(reader);
		}
		Object graph = ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) inboxYml.get("switchboard"))
			.get("whatsapp"))).get("graph-base-url");
		assertThat(inbox.get("SWITCHBOARD_WHATSAPP_GRAPH_BASE_URL"))
			.isEqualTo("${SWITCHBOARD_WHATSAPP_GRAPH_BASE_URL:-" + graph + "}");

		String dockerfile = Files.readString(root.resolve("whatsapp-sandbox/Dockerfile"));
		assertThat(dockerfile).contains("COPY target/whatsapp-sandbox-exec.jar")
			.contains("EXPOSE " + env.get("SANDBOX_PORT"));
		assertThat(Files.readString(root.resolve("whatsapp-sandbox/pom.xml"))).contains("<classifier>exec</classifier>")
			.contains("<mainClass>dev.switchboard.sandbox.WhatsAppSandbox</mainClass>");
	}

	@Test
	void whenPrometheusAlertsThenAlertmanagerOfComposeReceivesThemWithItsConfig() {
		Map<String, Object> alertmanager = services.get("alertmanager");
		assertThat(strings(alertmanager.get("volumes")))
			.contains("./deploy/alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro");
		assertThat(strings(alertmanager.get("command"))).contains("--config.file=/etc/alertmanager/alertmanager.yml");
		assertThat(services.get("prometheus").get("depends_on").toString()).contains("alertmanager=");
		assertThat(strings(alertmanager.get("ports"))).containsExactly("127.0.0.1:9093:9093");
	}

	/**
	 * The built services behind the gateway's internal tokens, each with its own schema:
	 * all but the console, which has no database and calls the API through the gateway
	 * with the user's token.
	 */
	private static List<Map.Entry<String, Map<String, Object>>> withDatabase() {
		List<Map.Entry<String, Map<String, Object>>> services = built().stream()
			.filter((service) -> !service.getKey().equals("console"))
			.toList();
		assertThat(environment(built().stream()
			.filter((service) -> service.getKey().equals("console"))
			.findFirst()
			.orElseThrow()
			.getValue())).as("the console")
			.doesNotContainKeys("SWITCHBOARD_DB_USERNAME", "SWITCHBOARD_IDENTITY_SIGNING_KEY",
					"SWITCHBOARD_IDENTITY_JWK_SET_URI");
		return services;
	}

	private static List<Map.Entry<String, Map<String, Object>>> built() {
		List<Map.Entry<String, Map<String, Object>>> built = services.entrySet()
			.stream()
			.filter((service) -> service.getValue().containsKey("build")
					&& Files.exists(root.resolve(service.getKey()).resolve("src/main/resources/application.yml")))
			.toList();
		assertThat(built).extracting(Map.Entry::getKey)
			.containsExactlyInAnyOrder("gateway-service", "inbox-service", "routing-service", "audit-service",
					"billing-service", "console");
		return built;
	}

	private static String managementPort(Map.Entry<String, Map<String, Object>> service) {
		Object port = environment(service.getValue()).get("MANAGEMENT_SERVER_PORT");
		assertThat(port).as(service.getKey() + " MANAGEMENT_SERVER_PORT").isNotNull();
		return port.toString();
	}

	private static List<String> strings(Object value) {
		return (value instanceof List<?> list) ? list.stream().map(Object::toString).toList() : List.of();
	}

	private static String serverPort(Map.Entry<String, Map<String, Object>> service) {
		Object port = environment(service.getValue()).get("SERVER_PORT");
		assertThat(port).as(service.getKey() + " SERVER_PORT").isNotNull();
		return port.toString();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> environment(Map<String, Object> service) {
		Object environment = service.get("environment");
		return (environment instanceof Map<?, ?> map) ? (Map<String, Object>) map : new LinkedHashMap<>();
	}

}
