package dev.switchboard.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.local.deploy.ComposeFile;
import dev.switchboard.local.deploy.ComposeInterpolation;
import dev.switchboard.local.deploy.KubernetesManifests;
import dev.switchboard.sandbox.WhatsAppSandbox;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.Infrastructure;
import dev.switchboard.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * docker-compose.yml and deploy/k8s run as shipped, proven without Docker or a cluster:
 * each file is rendered (compose with its env files and profiles, Kubernetes with
 * {@code kubectl kustomize} (or {@link KubernetesManifests#readKustomization} where
 * kubectl is missing) and the Secrets an operator creates), and every Switchboard
 * service's packaged jar starts with exactly the environment the file gives its
 * container, nothing inherited and nothing added but what {@link Mapping} lists: the
 * file's host names and container ports mapped to this machine (Kafka to the test broker,
 * PostgreSQL to the local one with a fresh database set up by deploy/postgres/init.sql,
 * Keycloak to the local identity provider serving Keycloak's paths, the services to their
 * ports, the sandbox to one in this JVM). Then the README's round trip runs through the
 * gateway: a customer's signed webhook in, an agent's reply out, the ticks back to read;
 * and the console, as browsers meet it there, sends them to sign in at the provider. A
 * variable a service needs and a file lacks stops that service (it refuses to start,
 * naming it), and a secret the file requires and the operator lacks stops the rendering.
 */
class DeploymentParityIT {

	/**
	 * The jars started, gateway first; a service's container port is 8080 + its index.
	 */
	private static final List<String> SERVICES = List.of("gateway-service", "inbox-service", "routing-service",
			"audit-service", "billing-service", Platform.CONSOLE);

	/** The console's client registration, in its sign-in path and redirect URI. */
	private static final String CONSOLE_REGISTRATION = "switchboard";

	/**
	 * What Kubernetes sets and compose does not, and why; any other difference between
	 * the two files' variables fails
	 * {@link #whenBothFilesConfigureAServiceThenTheyDifferOnlyWhereListed}.
	 */
	private static final Map<String, String> ONLY_KUBERNETES = Map.ofEntries(
			Map.entry("JAVA_TOOL_OPTIONS", "the heap as a share of the container's memory limit (compose sets none)"),
			Map.entry("SWITCHBOARD_KAFKA_PARTITIONS", "topics for three brokers and the HPAs (compose: one broker)"),
			Map.entry("SWITCHBOARD_KAFKA_REPLICATION_FACTOR", "topics for three brokers (compose: one broker)"),
			Map.entry("SWITCHBOARD_KAFKA_MIN_INSYNC_REPLICAS", "topics for three brokers (compose: one broker)"),
			Map.entry("OIDC_ISSUER_URI",
					"a switchboard-config key for the gateway's configMapKeyRef, unread elsewhere"),
			Map.entry("OIDC_JWK_SET_URI",
					"a switchboard-config key for the gateway's configMapKeyRef, unread elsewhere"),
			Map.entry("OIDC_SUBJECT_CLAIM",
					"a switchboard-config key for the gateway's configMapKeyRef, unread elsewhere"),
			Map.entry("POSTGRES_EXPORTER_DATA_SOURCE_URI",
					"a switchboard-config key for postgres-exporter, unread here"),
			Map.entry("MANAGEMENT_METRICS_DISTRIBUTION_PERCENTILESHISTOGRAM_HTTP_SERVER_REQUESTS",
					"repeats application.yml's histograms"),
			Map.entry("MANAGEMENT_METRICS_DISTRIBUTION_PERCENTILESHISTOGRAM_HTTP_CLIENT_REQUESTS",
					"repeats application.yml's histograms"),
			Map.entry("SPRING_APPLICATION_JSON", "repeats application.yml's exemplar setting"),
			Map.entry("SWITCHBOARD_AUDIT_WITNESS_URL", "an HTTP witness run apart (compose: a directory on a volume)"),
			Map.entry("SWITCHBOARD_CONSOLE_SECURE_COOKIE",
					"the Ingress serves HTTPS (compose: plain http on this machine, application.yml's false)"));

	/** What compose sets and Kubernetes does not, and why. */
	private static final Map<String, String> ONLY_COMPOSE = Map.ofEntries(
			Map.entry("SWITCHBOARD_AUDIT_WITNESS_DIRECTORY", "the audit-witness volume (Kubernetes: an HTTP witness)"),
			Map.entry("SWITCHBOARD_WHATSAPP_GRAPH_BASE_URL",
					"the sandbox profile's switch (Kubernetes: application.yml's default, Meta's Graph API)"),
			Map.entry("SWITCHBOARD_CONSOLE_OIDC_DISCOVERY_URI",
					"Keycloak's public issuer (localhost:8180) does not resolve on the compose network"
							+ " (Kubernetes: the pods reach the issuer's host)"),
			Map.entry("SWITCHBOARD_CONSOLE_SRE_GATEWAYMANAGEMENTURI",
					"the NetworkPolicies let only Prometheus reach the gateway's management port"
							+ " (docs/console.md: the SRE page says UNREACHABLE there)"),
			Map.entry("SWITCHBOARD_CONSOLE_SRE_GRAFANAURI",
					"Grafana as compose publishes it (deploy/k8s ships none: application.yml's default)"));

	/** Variables whose values the two files must agree on. */
	private static final List<String> SAME_VALUES = List.of("SERVER_PORT", "MANAGEMENT_SERVER_PORT",
			"SWITCHBOARD_DB_PORT", "SWITCHBOARD_IDENTITY_JWK_SET_URI", "SWITCHBOARD_SERVICES_INBOX",
			"SWITCHBOARD_SERVICES_ROUTING", "SWITCHBOARD_SERVICES_AUDIT", "SWITCHBOARD_SERVICES_BILLING",
			"SWITCHBOARD_SERVICES_CONSOLE", "SWITCHBOARD_SECURITY_JWT_SUBJECT_CLAIM", "SWITCHBOARD_CONSOLE_API_URI");

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static Path root;

	private static Path work;

	private static Infrastructure infrastructure;

	@BeforeAll
	static void locate() throws IOException {
		root = Path.of("").toAbsolutePath().getParent();
		work = Path.of("target/parity").toAbsolutePath();
		Files.createDirectories(work);
		infrastructure = RealInfrastructure.get();
	}

	@Test
	void whenComposeRunsAsShippedWithTheSandboxProfileThenTheWalkThroughsRoundTripPasses() throws Exception {
		ComposeFile compose = ComposeFile.render(root.resolve("docker-compose.yml"),
				List.of(testEnvFile(), composeKeys(), root.resolve("deploy/compose/sandbox.env")));
		assertThat(compose.profiles()).containsExactly("sandbox");
		assertThat(compose.services()).containsKeys("whatsapp-sandbox", "keycloak", "alertmanager");

		Ports ports = Ports.allocate();
		Database database = RealInfrastructure.newDatabase("parity_compose");
		try {
			Map<String, String> postgres = compose.environment("postgres", root);
			initialiseDatabase(database, initScriptLogins(), postgres);
			Path witness = Files.createDirectories(work.resolve("compose-audit-witness-" + database.name()));
			List<Mapping> mappings = new ArrayList<>(List.of(
					Mapping.address("kafka:9092", infrastructure.kafkaBootstrapServers(), "Kafka: the test broker"),
					Mapping.exact("postgres", database.host(), "PostgreSQL's host: the local server"),
					Mapping.variable("SWITCHBOARD_DB_NAME", "switchboard", database.name(),
							"the database: a fresh one, set up by deploy/postgres/init.sql as postgres' init.sh does"),
					Mapping.address("http://localhost:8180", ports.identityUrl(),
							"Keycloak as published to the browser: the local identity provider"),
					Mapping.address("http://keycloak:8080", ports.identityUrl(),
							"Keycloak on the compose network: the local identity provider"),
					Mapping.address("http://whatsapp-sandbox:8090", ports.sandboxUrl(),
							"the sandbox service: the sandbox in this JVM"),
					Mapping.exact("/var/lib/switchboard/witness", witness.toString(),
							"the audit-witness volume: a directory of this run"),
					Mapping.variable("SWITCHBOARD_CONSOLE_PUBLIC_URI", "http://127.0.0.1:8080", ports.gatewayUrl(),
							"where browsers reach the console, the gateway as published: its port here")));
			mappings.addAll(ports.serviceMappings());
			assertThat(database.port()).as("the local PostgreSQL listens on the file's port").isEqualTo(5432);

			Map<String, Map<String, String>> environments = new LinkedHashMap<>();
			for (String service : SERVICES) {
				environments.put(service, ports.deployed(service, map(mappings, compose.environment(service, root))));
			}
			Map<String, String> sandboxEnvironment = map(mappings, compose.environment("whatsapp-sandbox", root));
			sandboxEnvironment.put("SANDBOX_PORT", Integer.toString(ports.sandbox()));
			runRoundTrip("compose", ports, environments, WhatsAppSandbox.Settings.of(sandboxEnvironment),
					environments.get("gateway-service"));
		}
		finally {
			RealInfrastructure.drop(database);
		}
	}

	@Test
	void whenKubernetesRunsAsShippedThenTheWalkThroughsRoundTripPasses() throws Exception {
		Ports ports = Ports.allocate();
		Database database = RealInfrastructure.newDatabase("parity_k8s");
		HttpServer witness = witness();
		try {
			Map<String, String> db = databaseSecret();
			KubernetesManifests manifests = KubernetesManifests.render(root.resolve("deploy/k8s"))
				.with(operatorObjects(db, "http://127.0.0.1:" + witness.getAddress().getPort()));
			initialiseDatabase(database, initScriptLogins(), postgresPasswords(db));
			createTopics(root.resolve("deploy/k8s/kafka-topics/topics.yaml"));

			Map<String, Map<String, String>> environments = kubernetesEnvironments(manifests, database, ports);
			Map<String, String> gateway = environments.get("gateway-service");
			WhatsAppSandbox.Settings sandbox = new WhatsAppSandbox.Settings(ports.sandbox(),
					environments.get("inbox-service").get("SWITCHBOARD_WHATSAPP_ACCESS_TOKEN"),
					URI.create(ports.gatewayUrl() + "/webhooks/whatsapp"),
					gateway.get("SWITCHBOARD_GATEWAY_TENANTS_0_APP_SECRET"),
					gateway.get("SWITCHBOARD_GATEWAY_TENANTS_0_PHONE_NUMBER_ID"), Duration.ofMillis(300),
					gateway.get("SWITCHBOARD_GATEWAY_TENANTS_0_WABA_ID"), Set.of());
			runRoundTrip("k8s", ports, environments, sandbox, gateway);
		}
		finally {
			witness.stop(0);
			RealInfrastructure.drop(database);
		}
	}

	@Test
	void whenTheOperatorLacksASecretThenNeitherFileRendersAndTheMessageNamesIt() throws Exception {
		Path lacking = work.resolve("lacking.env");
		Files.writeString(lacking, Files.readString(testEnvFile()).replaceAll("(?m)^TENANT_APP_SECRET=.*$", ""));
		assertThatThrownBy(() -> ComposeFile.render(root.resolve("docker-compose.yml"),
				List.of(lacking, composeKeys(), root.resolve("deploy/compose/sandbox.env"))))
			.isInstanceOf(ComposeInterpolation.MissingVariableException.class)
			.hasMessageContaining("TENANT_APP_SECRET");

		KubernetesManifests manifests = KubernetesManifests.render(root.resolve("deploy/k8s"))
			.with(KubernetesManifests.of(List.of(
					secret("switchboard-db",
							Map.of("audit-app-username", "audit_app", "audit-app-password", "x", "audit-owner-username",
									"audit_owner", "audit-owner-password", "x")),
					secret("switchboard-keys", Map.of("master-key", "x")),
					configMap("switchboard-audit-witness", Map.of("url", "http://127.0.0.1:1")))));
		assertThatThrownBy(() -> manifests.environment("audit-service")).hasMessageContaining("audit-signing-key")
			.hasMessageContaining("switchboard-keys");
	}

	@Test
	void whenBothFilesConfigureAServiceThenTheyDifferOnlyWhereListed() throws Exception {
		ComposeFile compose = ComposeFile.render(root.resolve("docker-compose.yml"),
				List.of(testEnvFile(), composeKeys()));
		KubernetesManifests kubernetes = KubernetesManifests.render(root.resolve("deploy/k8s"))
			.with(operatorObjects(databaseSecret(), "http://witness.example.internal"));
		for (String service : SERVICES) {
			Map<String, String> fromCompose = compose.environment(service, root);
			Map<String, String> fromKubernetes = kubernetes.environment(service);
			assertThat(difference(fromKubernetes, fromCompose)).as(service + ": set on Kubernetes only")
				.isSubsetOf(ONLY_KUBERNETES.keySet());
			assertThat(difference(fromCompose, fromKubernetes)).as(service + ": set in compose only")
				.isSubsetOf(ONLY_COMPOSE.keySet());
			for (String variable : SAME_VALUES) {
				assertThat(fromKubernetes.get(variable)).as(service + " " + variable)
					.isEqualTo(fromCompose.get(variable));
			}
		}
	}

	@Test
	void whenAServiceLacksAVariableItNeedsThenItRefusesToStartNamingIt() throws Exception {
		Ports ports = Ports.allocate();
		Database database = RealInfrastructure.newDatabase("parity_lacking");
		try {
			Map<String, String> db = databaseSecret();
			initialiseDatabase(database, initScriptLogins(), postgresPasswords(db));
			KubernetesManifests manifests = KubernetesManifests.render(root.resolve("deploy/k8s"))
				.with(operatorObjects(db, "http://127.0.0.1:1"));
			Map<String, String> audit = kubernetesEnvironments(manifests, database, ports).get("audit-service");
			assertThat(audit.remove("SWITCHBOARD_AUDIT_SIGNING_KEY")).isNotBlank();
			Path logs = work.resolve("lacking-logs");
			Service service = ports.services()
				.stream()
				.filter((each) -> each.name().equals("audit-service"))
				.findFirst()
				.orElseThrow();
			assertThatThrownBy(() -> Platform
				.deployed(new Platform.Settings(root, logs, infrastructure.kafkaBootstrapServers(),
						new Platform.Settings.Database(database.host(), database.port(), database.name(),
								database.username(), database.password()),
						List.of(service), DemoTenant.DEFAULT, Duration.ofMinutes(3), ports.identity(), Map.of()),
						Map.of("audit-service", audit))
				.close()).hasMessageContaining("audit-service exited");
			assertThat(Files.readString(logs.resolve("audit-service.log"))).contains("SWITCHBOARD_AUDIT_SIGNING_KEY");
		}
		finally {
			RealInfrastructure.drop(database);
		}
	}

	private static Set<String> difference(Map<String, String> these, Map<String, String> those) {
		Set<String> difference = new java.util.TreeSet<>(these.keySet());
		difference.removeAll(those.keySet());
		return difference;
	}

	/** The passwords init.sh hands init.sql, from the Secret switchboard-db. */
	private static Map<String, String> postgresPasswords(Map<String, String> db) {
		return Map.of("GATEWAY_DB_PASSWORD", db.get("gateway-password"), "INBOX_DB_PASSWORD", db.get("inbox-password"),
				"ROUTING_DB_PASSWORD", db.get("routing-password"), "BILLING_DB_PASSWORD", db.get("billing-password"),
				"AUDIT_DB_OWNER_PASSWORD", db.get("audit-owner-password"), "AUDIT_DB_APP_PASSWORD",
				db.get("audit-app-password"), "EXPORTER_DB_PASSWORD", db.get("exporter-password"));
	}

	/**
	 * A file of the keys an operator generates (docs/operations.md#secrets), new per run.
	 */
	private static Path composeKeys() throws IOException {
		Path keys = work.resolve("compose-keys.env");
		Files.writeString(keys,
				"SWITCHBOARD_MASTER_KEY=" + LocalMasterKey.generate() + "\n" + "SWITCHBOARD_AUDIT_SIGNING_KEY="
						+ LocalSigningKey.generate() + "\n" + "SWITCHBOARD_IDENTITY_SIGNING_KEY='"
						+ IdentityKey.generate().signingKey() + "'\n");
		return keys;
	}

	/** The Secret switchboard-db as deploy/k8s/README.md has the operator create it. */
	private static Map<String, String> databaseSecret() {
		Map<String, String> db = new LinkedHashMap<>();
		for (String login : List.of("gateway", "inbox", "routing", "billing")) {
			db.put(login + "-username", login);
			db.put(login + "-password", "parity-" + login);
		}
		db.putAll(Map.of("audit-app-username", "audit_app", "audit-app-password", "parity-audit-app",
				"audit-owner-username", "audit_owner", "audit-owner-password", "parity-audit-owner",
				"exporter-username", "exporter", "exporter-password", "parity-exporter"));
		return db;
	}

	/**
	 * What an operator creates beside the kustomization (deploy/k8s/README.md): the
	 * Secrets, with test values and keys new per run, and the witness's ConfigMap.
	 */
	private static KubernetesManifests operatorObjects(Map<String, String> db, String witnessUrl) {
		return KubernetesManifests.of(List.of(secret("switchboard-db", db),
				secret("switchboard-keys",
						Map.of("master-key", LocalMasterKey.generate(), "audit-signing-key", LocalSigningKey.generate(),
								"identity-signing-key", IdentityKey.generate().signingKey())),
				secret("switchboard-tenant-0",
						Map.of("id", "demo", "phone-number-id", "106540352242922", "app-secret", "parity-app-secret",
								"verify-token", "parity-verify-token", "waba-id", "102290129340398")),
				secret("switchboard-whatsapp", Map.of("access-token", "parity-graph-token")),
				configMap("switchboard-audit-witness", Map.of("url", witnessUrl))));
	}

	/**
	 * Each service's environment from the rendered manifests, with the cluster's names
	 * mapped to this machine.
	 */
	private static Map<String, Map<String, String>> kubernetesEnvironments(KubernetesManifests manifests,
			Database database, Ports ports) {
		List<Mapping> mappings = new ArrayList<>(List.of(
				Mapping.address("switchboard-kafka-bootstrap.kafka.svc:9092", infrastructure.kafkaBootstrapServers(),
						"Strimzi's bootstrap Service: the test broker"),
				Mapping.exact("switchboard-postgres.example.internal", database.host(),
						"the managed PostgreSQL's host: the local server"),
				Mapping.variable("SWITCHBOARD_DB_NAME", "switchboard", database.name(),
						"the database: a fresh one, set up by deploy/postgres/init.sql"),
				Mapping.address("https://sso.example.internal", ports.identityUrl(),
						"the OIDC provider (Keycloak): the local identity provider, over http"),
				Mapping.variable("SWITCHBOARD_CONSOLE_PUBLIC_URI", "https://switchboard.example.com",
						ports.gatewayUrl(), "where browsers reach the console, the Ingress's host"
								+ " (ingress-settings): the gateway's port here, over http")));
		mappings.addAll(ports.serviceMappings());
		Map<String, Map<String, String>> environments = new LinkedHashMap<>();
		for (String service : SERVICES) {
			environments.put(service, ports.deployed(service, map(mappings, manifests.environment(service))));
		}
		// Kubernetes leaves the inbox on Meta's Graph API (application.yml's default):
		// the
		// one variable added, to reach the sandbox instead of graph.facebook.com.
		environments.get("inbox-service").put("SWITCHBOARD_WHATSAPP_GRAPH_BASE_URL", ports.sandboxUrl());
		return environments;
	}

	/**
	 * Starts the sandbox, the identity provider, the five services and the console as the
	 * file says, checks the console's sign-in, then drives the README's round trip
	 * through the gateway.
	 */
	private static void runRoundTrip(String file, Ports ports, Map<String, Map<String, String>> environments,
			WhatsAppSandbox.Settings sandboxSettings, Map<String, String> gateway) throws Exception {
		// The provider plays Keycloak: the issuer and the key set where the file expects
		// them, Keycloak's token and authorization endpoints. It serves everything under
		// the issuer's path (the realm's), and advertises its endpoints as the issuer
		// followed by their paths below it.
		String issuer = gateway.get("SWITCHBOARD_SECURITY_JWT_ISSUER_URI");
		assertThat(issuer).as(file + ": the gateway's issuer").startsWith(ports.identityUrl() + "/");
		String realm = URI.create(issuer).getPath();
		String jwkSetPath = URI.create(gateway.get("SWITCHBOARD_SECURITY_JWT_JWK_SET_URI")).getPath();
		assertThat(jwkSetPath).as(file + ": the gateway's key set, in the realm").startsWith(realm + "/");
		String tokenPath = realm + "/protocol/openid-connect/token";
		String authorizationPath = realm + "/protocol/openid-connect/auth";
		Map<String, String> provider = Map.of("SWITCHBOARD_IDENTITY_ISSUER", issuer,
				"SPRING_SECURITY_OAUTH2_AUTHORIZATIONSERVER_ENDPOINT_JWK_SET_URI", jwkSetPath.substring(realm.length()),
				"SPRING_SECURITY_OAUTH2_AUTHORIZATIONSERVER_ENDPOINT_TOKEN_URI", tokenPath.substring(realm.length()),
				"SPRING_SECURITY_OAUTH2_AUTHORIZATIONSERVER_ENDPOINT_AUTHORIZATION_URI",
				authorizationPath.substring(realm.length()));
		Path logs = work.resolve(file + "-logs");
		System.out.println("DeploymentParityIT " + file + ": the services' environments, after the mappings:");
		environments.forEach((service, environment) -> System.out.println("  " + service + " " + environment.keySet()));
		Database database = database(environments.get("gateway-service"));
		// On 127.0.0.1, as everything a test starts (compose binds it to the container's
		// interfaces, SANDBOX_BIND_ADDRESS).
		try (WhatsAppSandbox sandbox = WhatsAppSandbox.start(sandboxSettings, "127.0.0.1");
				Platform platform = Platform
					.deployed(
							new Platform.Settings(root, logs, infrastructure.kafkaBootstrapServers(),
									new Platform.Settings.Database(database.host(), database.port(), database.name(),
											database.username(), database.password()),
									ports.services(), DemoTenant.DEFAULT, Duration.ofMinutes(6), ports.identity(),
									provider),
							environments)) {
			assertConsoleSignsInAtTheProvider(file, ports, environments.get(Platform.CONSOLE),
					ports.identityUrl() + authorizationPath);
			String tokens = ports.identityUrl() + tokenPath;
			String owner = IdentityProvider.tokenAt(http, tokens, "olivia");
			String agent = IdentityProvider.tokenAt(http, tokens, "mario");
			String tenant = gateway.get("SWITCHBOARD_GATEWAY_TENANTS_0_ID");
			String waId = "3933377" + (100_000 + (int) (Math.random() * 800_000));
			String conversation = ConversationIds.of(tenant, waId);

			assertThat(sandbox.customerWrites(waId, "Giulia Rossi", "Where is my pizza?").webhookStatus())
				.as(file + ": the customer's signed webhook")
				.isEqualTo(200);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(
						ok(ports, owner, "GET", "/api/v1/conversations/" + conversation + "/window", null, null)
							.path("state")
							.asString())
					.isEqualTo("OPEN"));
			JsonNode device = ok(ports, owner, "POST", "/api/v1/devices", null,
					"{\"name\":\"iPhone Mario\",\"kind\":\"PHONE\",\"agentId\":\"mario\"}");
			String deviceId = device.path("id").asString();
			String messageId = await().atMost(Duration.ofSeconds(60)).until(() -> {
				HttpResponse<String> sent = call(ports, agent, "POST",
						"/api/v1/conversations/" + conversation + "/messages", deviceId,
						"{\"type\":\"text\",\"text\":\"On its way, 10 minutes!\"}");
				return (sent.statusCode() == 202) ? json.readTree(sent.body()).path("id").asString() : null;
			}, Objects::nonNull);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(
						ok(ports, owner, "GET", "/api/v1/messages/" + messageId, null, null).path("status").asString())
					.as(file + ": the reply's ticks")
					.isEqualTo("READ"));
			assertThat(sandbox.sent()).as(file + ": what reached the Graph API").anySatisfy((sent) -> {
				assertThat(sent.to()).isEqualTo(waId);
				assertThat(sent.payload()).contains("On its way, 10 minutes!");
			});
		}
	}

	/**
	 * The console as deployed: ready on its management port, and a browser's first page
	 * through the gateway sends it to sign in at the provider standing in for Keycloak,
	 * as the console's client, coming back to the console's public address.
	 */
	private static void assertConsoleSignsInAtTheProvider(String file, Ports ports, Map<String, String> console,
			String authorizationEndpoint) throws IOException, InterruptedException {
		Service service = ports.services()
			.stream()
			.filter((each) -> each.name().equals(Platform.CONSOLE))
			.findFirst()
			.orElseThrow();
		assertThat(get(service.managementUrl() + "/actuator/health/readiness").statusCode())
			.as(file + ": the console's readiness on its management port")
			.isEqualTo(200);
		String publicUri = console.get("SWITCHBOARD_CONSOLE_PUBLIC_URI");
		assertThat(publicUri).as(file + ": the console's public address").isEqualTo(ports.gatewayUrl());
		// The console's own redirects are relative (to its sign-in path); the last one
		// leaves for the provider.
		URI location = URI.create(ports.gatewayUrl() + "/");
		for (int hop = 0; hop < 3 && location.toString().startsWith(ports.gatewayUrl()); hop++) {
			HttpResponse<String> answer = get(location.toString());
			assertThat(answer.statusCode()).as(file + ": GET " + location + " through the gateway").isBetween(300, 399);
			location = location.resolve(answer.headers().firstValue("Location").orElseThrow());
		}
		assertThat(location.toString()).as(file + ": the console's sign-in").startsWith(authorizationEndpoint + "?");
		Map<String, String> query = new LinkedHashMap<>();
		for (String pair : location.getRawQuery().split("&")) {
			String[] parts = pair.split("=", 2);
			query.put(parts[0], java.net.URLDecoder.decode((parts.length > 1) ? parts[1] : "", StandardCharsets.UTF_8));
		}
		assertThat(query).as(file + ": the authorization request")
			.containsEntry("client_id", "switchboard-console")
			.containsEntry("response_type", "code")
			.containsEntry("redirect_uri", publicUri + "/login/oauth2/code/" + CONSOLE_REGISTRATION)
			.containsKey("code_challenge");
		// The address is the provider's endpoint, serving it: a browser (HTML) is asked
		// to sign in there.
		HttpResponse<String> provider = http.send(
				HttpRequest.newBuilder(location).header("Accept", "text/html").timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(provider.statusCode()).as(file + ": the provider's answer: " + provider.body()).isEqualTo(302);
		assertThat(provider.headers().firstValue("Location")).hasValueSatisfying(
				(login) -> assertThat(login).as(file + ": the provider's sign-in page").contains("/login"));
	}

	private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode ok(Ports ports, String token, String method, String path, String deviceId, String body)
			throws IOException, InterruptedException {
		HttpResponse<String> response = call(ports, token, method, path, deviceId, body);
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
		return json.readTree(response.body());
	}

	private static HttpResponse<String> call(Ports ports, String token, String method, String path, String deviceId,
			String body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ports.gatewayUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token)
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (deviceId != null) {
			request.header("X-Device-Id", deviceId);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static Map<String, String> map(List<Mapping> mappings, Map<String, String> environment) {
		Map<String, String> mapped = new LinkedHashMap<>();
		environment.forEach((name, value) -> {
			String result = value;
			for (Mapping mapping : mappings) {
				result = mapping.apply(name, result);
			}
			mapped.put(name, result);
		});
		return mapped;
	}

	private static Path testEnvFile() {
		return Path.of("src/test/resources/deploy/parity.env").toAbsolutePath();
	}

	/**
	 * The logins deploy/postgres/init.sh creates, by psql variable
	 * ({@code gateway_user}).
	 */
	private static Map<String, String> initScriptLogins() throws IOException {
		Matcher login = Pattern.compile("-v (\\w+_user)=(\\w+) ")
			.matcher(Files.readString(root.resolve("deploy/postgres/init.sh")));
		Map<String, String> logins = new LinkedHashMap<>();
		while (login.find()) {
			logins.put(login.group(1), login.group(2));
		}
		assertThat(logins).containsKeys("gateway_user", "audit_app_user", "audit_owner_user");
		return logins;
	}

	/**
	 * Runs deploy/postgres/init.sql with psql and init.sh's variables, as the postgres
	 * image does on an empty volume. PostgreSQL's roles are cluster-wide and outlive a
	 * test's database, so a login that an earlier run created is kept ("already exists"
	 * is the only error allowed).
	 */
	private static void initialiseDatabase(Database database, Map<String, String> logins,
			Map<String, String> postgresEnvironment) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(
				List.of("psql", "-h", database.host(), "-p", Integer.toString(database.port()), "-U",
						database.username(), "-d", database.name(), "-v", "database=" + database.name()));
		Map<String, String> passwords = Map.of("gateway_password", "GATEWAY_DB_PASSWORD", "inbox_password",
				"INBOX_DB_PASSWORD", "routing_password", "ROUTING_DB_PASSWORD", "billing_password",
				"BILLING_DB_PASSWORD", "audit_owner_password", "AUDIT_DB_OWNER_PASSWORD", "audit_app_password",
				"AUDIT_DB_APP_PASSWORD", "exporter_password", "EXPORTER_DB_PASSWORD");
		logins.forEach((variable, login) -> command.addAll(List.of("-v", variable + "=" + login)));
		passwords.forEach((variable, from) -> command
			.addAll(List.of("-v", variable + "=" + Objects.requireNonNull(postgresEnvironment.get(from), from))));
		command.addAll(List.of("-f", root.resolve("deploy/postgres/init.sql").toString()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("PGPASSWORD", database.password());
		Process psql = builder.start();
		String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(output.lines().filter((line) -> line.contains("ERROR:"))).as("init.sql: " + output)
			.allSatisfy((line) -> assertThat(line).containsPattern("role \"\\w+\" already exists"));
	}

	/**
	 * The database the platform's own bookkeeping names (from the gateway's variables).
	 */
	private static Database database(Map<String, String> gateway) {
		Database server = infrastructure.database();
		return new Database(server.host(), server.port(), gateway.get("SWITCHBOARD_DB_NAME"), server.username(),
				server.password());
	}

	/**
	 * The topics of kafka-topics/ as Strimzi would create them before the services, with
	 * their partitions, on the test's single broker (replication 1).
	 */
	@SuppressWarnings("unchecked")
	private static void createTopics(Path topics) throws Exception {
		List<NewTopic> wanted = new ArrayList<>();
		for (Map<String, Object> topic : KubernetesManifests.read(topics).objects()) {
			Map<String, Object> spec = (Map<String, Object>) topic.get("spec");
			wanted.add(new NewTopic(spec.get("topicName").toString(), ((Number) spec.get("partitions")).intValue(),
					(short) 1));
		}
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
			Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
			List<NewTopic> missing = wanted.stream().filter((topic) -> !existing.contains(topic.name())).toList();
			if (!missing.isEmpty()) {
				admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
			}
		}
	}

	/**
	 * An HTTP witness as the audit service expects one (HttpWitness): it keeps what it is
	 * given, in memory.
	 */
	private static HttpServer witness() throws IOException {
		Map<String, String> latest = new ConcurrentHashMap<>();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/checkpoints", (exchange) -> {
			byte[] answer = new byte[0];
			int status;
			if ("POST".equals(exchange.getRequestMethod())) {
				String note = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				latest.put(note.lines().findFirst().orElse(""), note);
				status = 200;
			}
			else {
				String query = String.valueOf(exchange.getRequestURI().getQuery());
				String origin = java.net.URLDecoder.decode(query.replaceFirst("^origin=", ""), StandardCharsets.UTF_8);
				String note = latest.get(origin);
				status = (note != null) ? 200 : 404;
				answer = (note != null) ? note.getBytes(StandardCharsets.UTF_8) : answer;
			}
			exchange.sendResponseHeaders(status, (answer.length == 0) ? -1 : answer.length);
			if (answer.length > 0) {
				exchange.getResponseBody().write(answer);
			}
			exchange.close();
		});
		server.start();
		return server;
	}

	private static Map<String, Object> secret(String name, Map<String, String> values) {
		return Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", name), "stringData", values);
	}

	private static Map<String, Object> configMap(String name, Map<String, String> values) {
		return Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", name), "data", values);
	}

	/**
	 * The one rewrite the test makes of a file's values: a name of the deployment's
	 * network mapped to this machine.
	 *
	 * @param variable the only variable it applies to, or null for every variable
	 * @param from what the file says
	 * @param to what it is here
	 * @param exact whether the whole value must be {@code from} (a bare host name), else
	 * every occurrence in a value is mapped (an address in a URL)
	 * @param why what the name stands for
	 */
	record Mapping(String variable, String from, String to, boolean exact, String why) {

		static Mapping address(String from, String to, String why) {
			return new Mapping(null, from, to, false, why);
		}

		static Mapping exact(String from, String to, String why) {
			return new Mapping(null, from, to, true, why);
		}

		static Mapping variable(String variable, String from, String to, String why) {
			return new Mapping(variable, from, to, true, why);
		}

		String apply(String name, String value) {
			if (this.variable != null && !this.variable.equals(name)) {
				return value;
			}
			if (this.exact) {
				return value.equals(this.from) ? this.to : value;
			}
			return value.replace(this.from, this.to);
		}

	}

	/**
	 * This run's free ports for what the files call by name: the five services and the
	 * console (API and management), the identity provider and the sandbox.
	 */
	record Ports(List<Service> services, int identity, int sandbox) {

		static Ports allocate() {
			return new Ports(
					SERVICES.stream().map((name) -> new Service(name, FreePorts.next(), FreePorts.next())).toList(),
					FreePorts.next(), FreePorts.next());
		}

		String identityUrl() {
			return "http://127.0.0.1:" + this.identity;
		}

		String sandboxUrl() {
			return "http://127.0.0.1:" + this.sandbox;
		}

		String gatewayUrl() {
			return this.services.getFirst().url();
		}

		/**
		 * Each service's addresses on the network, its API
		 * ({@code http://inbox-service:8081}) and its management port
		 * ({@code http://gateway-service:9080}, which the console's SRE page reads).
		 */
		List<Mapping> serviceMappings() {
			List<Mapping> mappings = new ArrayList<>();
			for (Service service : this.services) {
				String host = "http://" + service.name() + ":";
				mappings.add(Mapping.address(host + containerPort(service.name()), service.url(),
						service.name() + "'s Service/container address: its port here"));
				mappings.add(Mapping.address(host + (Integer.parseInt(containerPort(service.name())) + 1000),
						service.managementUrl(), service.name() + "'s management address: its port here"));
			}
			return mappings;
		}

		/**
		 * A service's environment with its container ports published on this machine's
		 * free ports, and both servers bound to loopback (a test binds nothing else).
		 */
		Map<String, String> deployed(String name, Map<String, String> environment) {
			Service service = this.services.stream()
				.filter((each) -> each.name().equals(name))
				.findFirst()
				.orElseThrow();
			Map<String, String> deployed = new LinkedHashMap<>(environment);
			assertThat(deployed.get("SERVER_PORT")).as(name + " SERVER_PORT").isEqualTo(containerPort(name));
			assertThat(deployed.get("MANAGEMENT_SERVER_PORT")).as(name + " MANAGEMENT_SERVER_PORT")
				.isEqualTo(Integer.toString(Integer.parseInt(containerPort(name)) + 1000));
			deployed.put("SERVER_PORT", Integer.toString(service.port()));
			deployed.put("MANAGEMENT_SERVER_PORT", Integer.toString(service.managementPort()));
			deployed.put("SERVER_ADDRESS", "127.0.0.1");
			deployed.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
			return deployed;
		}

		private static String containerPort(String name) {
			return Integer.toString(8080 + SERVICES.indexOf(name));
		}

	}

}
