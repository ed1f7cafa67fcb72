package dev.switchboard.local.deploy;

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
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads every manifest of deploy/k8s (kustomize) the way the API server would be given
 * them, and checks what a deployment of Switchboard needs: probes and metrics on the
 * management ports, secrets only by reference, a database login per service, and
 * NetworkPolicies that let only the gateway reach the services.
 */
class KubernetesManifestTests {

	private static final List<String> SERVICES = List.of("gateway-service", "inbox-service", "routing-service",
			"audit-service", "billing-service");

	private static final Pattern SECRET_LIKE = Pattern
		.compile("(?i).*(password|_pass$|secret|token|credential|api_?key|_key$|private).*");

	private static final Map<String, Object> GATEWAY_PODS = Map.of("podSelector",
			Map.of("matchLabels", Map.of("app.kubernetes.io/name", "gateway-service")));

	private static final Map<String, Object> PROMETHEUS_NAMESPACE = Map.of("namespaceSelector",
			Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")));

	private static Path k8s;

	private static final Map<String, List<Map<String, Object>>> documentsByFile = new LinkedHashMap<>();

	private static final Map<String, Map<String, Object>> resources = new LinkedHashMap<>();

	@BeforeAll
	@SuppressWarnings("unchecked")
	static void parseEveryManifest() throws IOException {
		k8s = Repository.deploy().resolve("k8s");
		try (Stream<Path> files = Files.list(k8s)) {
			for (Path file : files
				.filter((path) -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
				.sorted()
				.toList()) {
				List<Map<String, Object>> documents = new ArrayList<>();
				try (Reader reader = Files.newBufferedReader(file)) {
					for (Object document : new Yaml().loadAll(reader)) {
						if (document != null) {
							documents.add((Map<String, Object>) document);
						}
					}
				}
				assertThat(documents).as(file.toString()).isNotEmpty();
				documentsByFile.put(file.getFileName().toString(), documents);
			}
		}
		documentsByFile.forEach((file, documents) -> {
			if (file.equals("kustomization.yaml")) {
				return;
			}
			for (Map<String, Object> document : documents) {
				assertThat(document).as(file).containsKeys("apiVersion", "kind", "metadata");
				String key = document.get("kind") + "/" + map(document, "metadata").get("name");
				assertThat(resources).as("duplicate " + key).doesNotContainKey(key);
				resources.put(key, document);
			}
		});
	}

	@Test
	void whenKustomizeBuildsTheDirectoryThenKustomizationListsEveryManifestAndOnlyExistingOnes() {
		Map<String, Object> kustomization = documentsByFile.get("kustomization.yaml").get(0);
		assertThat(kustomization.get("kind")).isEqualTo("Kustomization");
		assertThat(kustomization.get("namespace")).isEqualTo("switchboard");
		List<String> listed = strings(kustomization.get("resources"));
		Set<String> manifests = new LinkedHashSet<>(documentsByFile.keySet());
		manifests.remove("kustomization.yaml");
		assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(manifests);
		List<String> images = list(kustomization.get("images")).stream()
			.map((image) -> image.get("name").toString())
			.toList();
		for (String service : SERVICES) {
			assertThat(images).as("kustomize images")
				.contains(container(service).get("image").toString().split(":")[0]);
		}
	}

	@Test
	void whenAServiceIsDeployedThenItHasADeploymentAServiceAndAnAutoscalerThatMatch() {
		for (String service : SERVICES) {
			Map<String, Object> deployment = resource("Deployment", service);
			Map<String, Object> kubeService = resource("Service", service);
			Map<String, Object> hpa = resource("HorizontalPodAutoscaler", service);
			Map<String, Object> podLabels = map(map(map(deployment, "spec"), "template"), "metadata");
			assertThat(map(map(deployment, "spec"), "selector").get("matchLabels")).as(service)
				.isEqualTo(Map.of("app.kubernetes.io/name", service));
			assertThat(map(podLabels, "labels")).as(service)
				.containsAllEntriesOf(map(map(kubeService, "spec"), "selector"));

			int port = serverPort(service);
			int managementPort = managementPort(service);
			assertThat(managementPort).as(service + " management port").isEqualTo(port + 1000);
			List<Map<String, Object>> containerPorts = list(container(service).get("ports"));
			assertThat(containerPorts).as(service)
				.containsExactly(Map.of("name", "http", "containerPort", port),
						Map.of("name", "management", "containerPort", managementPort));
			assertThat(list(map(kubeService, "spec").get("ports"))).as(service + " Service ports")
				.containsExactly(Map.of("name", "http", "port", port, "targetPort", "http"),
						Map.of("name", "management", "port", managementPort, "targetPort", "management"));
			assertThat(map(podLabels, "annotations")).as(service)
				.containsEntry("prometheus.io/scrape", "true")
				.containsEntry("prometheus.io/path", "/actuator/prometheus")
				.containsEntry("prometheus.io/port", Integer.toString(managementPort));

			Map<String, Object> hpaSpec = map(hpa, "spec");
			assertThat(map(hpaSpec, "scaleTargetRef")).as(service)
				.containsEntry("kind", "Deployment")
				.containsEntry("name", service);
			assertThat((Integer) hpaSpec.get("minReplicas")).as(service + " survives a node").isGreaterThanOrEqualTo(2);
			assertThat((Integer) hpaSpec.get("maxReplicas")).isGreaterThan((Integer) hpaSpec.get("minReplicas"));
			assertThat(list(hpaSpec.get("metrics"))).isNotEmpty();
		}
	}

	@Test
	void whenAContainerRunsThenItHasLivenessAndReadinessProbesOnTheActuatorAndResources() {
		for (String service : SERVICES) {
			Map<String, Object> container = container(service);
			assertThat(map(map(container, "livenessProbe"), "httpGet")).as(service)
				.containsEntry("path", "/actuator/health/liveness")
				.containsEntry("port", "management");
			assertThat(map(map(container, "readinessProbe"), "httpGet")).as(service)
				.containsEntry("path", "/actuator/health/readiness")
				.containsEntry("port", "management");
			assertThat(map(map(container, "startupProbe"), "httpGet")).as(service)
				.containsEntry("path", "/actuator/health/liveness")
				.containsEntry("port", "management");
			Map<String, Object> resources = map(container, "resources");
			assertThat(map(resources, "requests")).as(service).containsKeys("cpu", "memory");
			assertThat(map(resources, "limits")).as(service).containsKey("memory");
		}
		for (Map<String, Object> deployment : ofKind("Deployment")) {
			for (Map<String, Object> container : containers(deployment)) {
				assertThat(container).as(map(deployment, "metadata").get("name").toString())
					.containsKeys("resources", "livenessProbe", "readinessProbe");
			}
		}
	}

	@Test
	void whenAManifestNeedsASecretThenItReferencesOneAndNoSecretValueIsCommitted() throws IOException {
		assertThat(ofKind("Secret")).as("Secrets are created outside the repository").isEmpty();
		String readme = Files.readString(k8s.resolve("README.md"));
		Set<String> referenced = new LinkedHashSet<>();
		for (Map<String, Object> deployment : ofKind("Deployment")) {
			for (Map<String, Object> container : containers(deployment)) {
				for (Map<String, Object> variable : list(container.get("env"))) {
					String name = variable.get("name").toString();
					if (variable.get("valueFrom") instanceof Map<?, ?> from
							&& from.get("secretKeyRef") instanceof Map<?, ?> ref) {
						referenced.add(ref.get("name") + "/" + ref.get("key"));
						assertThat(readme)
							.as("README.md documents secret " + ref.get("name") + " key " + ref.get("key"))
							.contains("`" + ref.get("name") + "`")
							.contains("`" + ref.get("key") + "`");
					}
					else {
						assertThat(SECRET_LIKE.matcher(name).matches()).as(name + " must come from a secretKeyRef")
							.isFalse();
					}
				}
			}
		}
		for (Map<String, Object> configMap : ofKind("ConfigMap")) {
			map(configMap, "data").keySet()
				.forEach((key) -> assertThat(SECRET_LIKE.matcher(key).matches()).as("ConfigMap key " + key).isFalse());
		}
		assertThat(referenced).contains("switchboard-db/inbox-password", "switchboard-tenant-0/app-secret",
				"switchboard-tenant-0/waba-id", "switchboard-whatsapp/access-token", "switchboard-keys/master-key",
				"switchboard-keys/audit-signing-key", "switchboard-keys/identity-signing-key");
		assertThat(secretRef("gateway-service", "SWITCHBOARD_IDENTITY_SIGNING_KEY")).isNotNull();
		for (String service : SERVICES.subList(1, SERVICES.size())) {
			assertThat(variable(service, "SWITCHBOARD_IDENTITY_SIGNING_KEY")).as(service + " holds no signing key")
				.isNull();
			assertThat(variable(service, "SWITCHBOARD_IDENTITY_JWK_SET_URI")).as(service)
				.containsEntry("value", "http://gateway-service:8080/.well-known/switchboard/jwks.json");
		}
	}

	@Test
	void whenServicesUseTheDatabaseThenEachHasItsOwnLoginAndAuditMigratesAsAnotherThanItRunsAs() {
		Set<String> logins = new LinkedHashSet<>();
		for (String service : SERVICES) {
			Map<?, ?> username = secretRef(service, "SWITCHBOARD_DB_USERNAME");
			Map<?, ?> password = secretRef(service, "SWITCHBOARD_DB_PASSWORD");
			assertThat(username).as(service + " SWITCHBOARD_DB_USERNAME").isNotNull();
			assertThat(password).as(service + " SWITCHBOARD_DB_PASSWORD").isNotNull();
			assertThat(logins.add(username.get("name") + "/" + username.get("key"))).as(service + " has its own login")
				.isTrue();
		}
		Map<?, ?> runtime = secretRef("audit-service", "SWITCHBOARD_DB_USERNAME");
		Map<?, ?> migrations = secretRef("audit-service", "SPRING_FLYWAY_USER");
		assertThat(migrations).as("audit-service SPRING_FLYWAY_USER").isNotNull();
		assertThat(secretRef("audit-service", "SPRING_FLYWAY_PASSWORD")).isNotNull();
		assertThat(migrations.get("key")).isEqualTo("audit-owner-username").isNotEqualTo(runtime.get("key"));
		assertThat(runtime.get("key")).isEqualTo("audit-app-username");
	}

	@Test
	void whenNetworkPoliciesApplyThenOnlyTheGatewayReachesTheServicesAndOnlyPrometheusTheirManagementPorts() {
		List<Map<String, Object>> policies = ofKind("NetworkPolicy");
		assertThat(policies).as("a policy that denies everything not allowed")
			.anySatisfy((policy) -> assertThat(map(policy, "spec"))
				.isEqualTo(Map.of("podSelector", Map.of(), "policyTypes", List.of("Ingress", "Egress"))));
		assertThat(policies).as("DNS for every pod").anySatisfy((policy) -> {
			assertThat(map(map(policy, "spec"), "podSelector")).isEmpty();
			assertThat(list(map(policy, "spec").get("egress")).stream()
				.flatMap((rule) -> list(rule.get("ports")).stream())
				.map((p) -> p.get("port"))
				.toList()).containsOnly(53);
		});
		for (String service : SERVICES) {
			List<Map<String, Object>> selecting = policies.stream()
				.filter((policy) -> Map.of("matchLabels", Map.of("app.kubernetes.io/name", service))
					.equals(map(policy, "spec").get("podSelector")))
				.toList();
			assertThat(selecting).as("a NetworkPolicy selects " + service).hasSize(1);
			Map<String, Object> spec = map(selecting.get(0), "spec");
			assertThat(strings(spec.get("policyTypes"))).as(service).containsExactly("Ingress", "Egress");
			int port = serverPort(service);
			int managementPort = managementPort(service);
			List<Map<String, Object>> ingress = list(spec.get("ingress"));
			for (Map<String, Object> rule : ingress) {
				List<Object> ports = list(rule.get("ports")).stream().map((p) -> p.get("port")).toList();
				assertThat(ports).as(service + " ingress names its ports").hasSize(1);
				if (ports.get(0).equals(managementPort)) {
					assertThat(list(rule.get("from"))).as(service + " management port")
						.containsExactly(PROMETHEUS_NAMESPACE);
				}
				else {
					assertThat(ports.get(0)).as(service + " ingress").isEqualTo(port);
					if (service.equals("gateway-service")) {
						assertThat(rule.get("from")).as("the gateway's API from anywhere").isNull();
					}
					else {
						assertThat(list(rule.get("from"))).as(service + " API port").containsExactly(GATEWAY_PODS);
					}
				}
			}
			assertThat(ingress).as(service).hasSize(2);
			List<Object> egressPorts = list(spec.get("egress")).stream()
				.flatMap((rule) -> list(rule.get("ports")).stream())
				.map((p) -> p.get("port"))
				.toList();
			assertThat(egressPorts).as(service + " reaches PostgreSQL and Kafka").contains(5432, 9092);
		}
	}

	@Test
	void whenTheDeploymentSetsAnEnvironmentVariableThenTheServiceReadsIt() throws IOException {
		Map<String, Object> config = map(resource("ConfigMap", "switchboard-config"), "data");
		for (String service : SERVICES) {
			ServiceProperties properties = ServiceProperties
				.of(Repository.root().resolve(service).resolve("src/main/resources/application.yml"));
			Set<String> variables = new LinkedHashSet<>(config.keySet());
			list(container(service).get("env")).forEach((variable) -> variables.add(variable.get("name").toString()));
			for (String variable : variables) {
				if (ServiceProperties.isProperty(variable) && !variable.equals("SPRING_APPLICATION_JSON")) {
					assertThat(properties.binds(variable))
						.as("%s gets %s, which its application.yml does not read", service, variable)
						.isTrue();
				}
			}
		}
	}

	@Test
	void whenPostgresExporterRunsThenItUsesTheQueriesPrometheusAlertsOn() throws IOException {
		Map<String, Object> deployment = resource("Deployment", "postgres-exporter");
		assertThat(strings(containers(deployment).get(0).get("args")))
			.contains("--extend.query-path=/etc/postgres-exporter/queries.yaml");
		Object embedded = new Yaml()
			.load(map(resource("ConfigMap", "postgres-exporter-queries"), "data").get("queries.yaml").toString());
		Object canonical;
		try (Reader reader = Files.newBufferedReader(Repository.deploy().resolve("postgres-exporter/queries.yaml"))) {
			canonical = new Yaml().load(reader);
		}
		assertThat(embedded).as("the ConfigMap's copy of deploy/postgres-exporter/queries.yaml").isEqualTo(canonical);
		resource("Service", "postgres-exporter");
	}

	private static int managementPort(String service) {
		Map<String, Object> variable = variable(service, "MANAGEMENT_SERVER_PORT");
		assertThat(variable).as(service + " sets MANAGEMENT_SERVER_PORT").isNotNull();
		return Integer.parseInt(variable.get("value").toString());
	}

	private static @Nullable Map<String, Object> variable(String service, String name) {
		return list(container(service).get("env")).stream()
			.filter((variable) -> name.equals(variable.get("name")))
			.findFirst()
			.orElse(null);
	}

	private static @Nullable Map<?, ?> secretRef(String service, String name) {
		Map<String, Object> variable = variable(service, name);
		return (variable != null && variable.get("valueFrom") instanceof Map<?, ?> from
				&& from.get("secretKeyRef") instanceof Map<?, ?> ref) ? ref : null;
	}

	private static int serverPort(String service) {
		return list(container(service).get("env")).stream()
			.filter((variable) -> "SERVER_PORT".equals(variable.get("name")))
			.map((variable) -> Integer.parseInt(variable.get("value").toString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError(service + " sets no SERVER_PORT"));
	}

	private static Map<String, Object> container(String service) {
		List<Map<String, Object>> containers = containers(resource("Deployment", service));
		assertThat(containers).as(service).hasSize(1);
		return containers.get(0);
	}

	private static List<Map<String, Object>> containers(Map<String, Object> deployment) {
		return list(map(map(map(deployment, "spec"), "template"), "spec").get("containers"));
	}

	private static Map<String, Object> resource(String kind, String name) {
		Map<String, Object> resource = resources.get(kind + "/" + name);
		assertThat(resource).as(kind + " " + name).isNotNull();
		return resource;
	}

	private static List<Map<String, Object>> ofKind(String kind) {
		return resources.values().stream().filter((resource) -> kind.equals(resource.get("kind"))).toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> node, String key) {
		Object value = node.get(key);
		assertThat(value).as(key).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return (value instanceof List<?> list) ? (List<Map<String, Object>>) list : List.of();
	}

	private static List<String> strings(Object value) {
		return (value instanceof List<?> list) ? list.stream().map(Object::toString).toList() : List.of();
	}

}
