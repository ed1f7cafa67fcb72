package dev.switchboard.local.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.switchboard.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads every manifest of deploy/k8s (kustomize) the way the API server would be given
 * them, and checks what a deployment of Switchboard needs: probes and metrics on the
 * management ports, secrets only by reference, a database login per service,
 * NetworkPolicies that let only the gateway reach the services, the restricted Pod
 * Security Standard, disruption budgets and graceful stops, the gateway's Ingress, the
 * Prometheus Operator's objects (the PrometheusRule generated from the rule files
 * promtool tests) and the Kafka topics (deploy/k8s/kafka-topics) with enough partitions
 * for the consumers the autoscalers allow.
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

	/**
	 * What Spring Boot waits for each phase of a graceful shutdown unless told otherwise.
	 */
	private static final int DEFAULT_SHUTDOWN_PHASE_SECONDS = 30;

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

	private static Path k8s;

	private static final List<Map<String, Object>> kafkaTopics = new ArrayList<>();

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
		try (Reader reader = Files.newBufferedReader(k8s.resolve("kafka-topics/topics.yaml"))) {
			for (Object document : new Yaml().loadAll(reader)) {
				if (document != null) {
					kafkaTopics.add((Map<String, Object>) document);
				}
			}
		}
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
			if (isLocalConfig(configMap)) {
				continue;
			}
			map(configMap, "data").keySet()
				.forEach((key) -> assertThat(SECRET_LIKE.matcher(key).matches()).as("ConfigMap key " + key).isFalse());
		}
		assertThat(referenced).contains("switchboard-db/inbox-password", "switchboard-tenant-0/app-secret",
				"switchboard-tenant-0/waba-id", "switchboard-whatsapp/access-token", "switchboard-keys/master-key",
				"switchboard-keys/audit-signing-key", "switchboard-keys/identity-signing-key");
		for (Map<String, Object> monitor : ofKind("ServiceMonitor")) {
			for (Map<String, Object> endpoint : list(map(monitor, "spec").get("endpoints"))) {
				if (endpoint.get("authorization") instanceof Map<?, ?> authorization
						&& authorization.get("credentials") instanceof Map<?, ?> ref) {
					assertThat(readme).as("README.md documents secret " + ref.get("name") + " key " + ref.get("key"))
						.contains("`" + ref.get("name") + "`")
						.contains("`" + ref.get("key") + "`");
				}
			}
		}
		assertThat(secretRef("audit-service", "SWITCHBOARD_AUDIT_SIGNING_KEY"))
			.as("one audit signing key for every replica")
			.isEqualTo(Map.of("name", "switchboard-keys", "key", "audit-signing-key"));
		for (String service : List.of("inbox-service", "audit-service")) {
			assertThat(secretRef(service, "SWITCHBOARD_MASTER_KEY")).as(service)
				.isEqualTo(Map.of("name", "switchboard-keys", "key", "master-key"));
		}
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

	@Test
	void whenTheNamespaceIsCreatedThenItEnforcesTheRestrictedPodSecurityStandard() {
		assertThat(map(map(resource("Namespace", "switchboard"), "metadata"), "labels"))
			.containsEntry("pod-security.kubernetes.io/enforce", "restricted")
			.containsEntry("pod-security.kubernetes.io/warn", "restricted")
			.containsEntry("pod-security.kubernetes.io/audit", "restricted");
	}

	@Test
	void whenAPodRunsThenItAndEveryContainerMeetTheRestrictedPodSecurityStandard() {
		Set<String> allowedVolumes = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
				"persistentVolumeClaim", "projected", "secret");
		for (Map<String, Object> deployment : ofKind("Deployment")) {
			String name = map(deployment, "metadata").get("name").toString();
			Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
			Map<String, Object> podContext = map(pod, "securityContext");
			assertThat(pod).as(name)
				.doesNotContainKeys("hostNetwork", "hostPID", "hostIPC", "initContainers", "ephemeralContainers");
			assertThat(pod.get("automountServiceAccountToken")).as(name + " needs no API token").isEqualTo(false);
			for (Map<String, Object> volume : list(pod.get("volumes"))) {
				Set<String> types = new LinkedHashSet<>(volume.keySet());
				types.remove("name");
				assertThat(allowedVolumes).as(name + " volume " + volume.get("name")).containsAll(types);
			}
			for (Map<String, Object> container : containers(deployment)) {
				String where = name + "/" + container.get("name");
				Map<String, Object> context = map(container, "securityContext");
				Map<String, Object> effective = new LinkedHashMap<>(podContext);
				effective.putAll(context);
				assertThat(effective.get("runAsNonRoot")).as(where + " runAsNonRoot").isEqualTo(true);
				assertThat(effective.get("runAsUser")).as(where + " runAsUser").isInstanceOf(Integer.class);
				assertThat((Integer) effective.get("runAsUser")).as(where + " runAsUser").isPositive();
				assertThat(effective.get("runAsGroup")).as(where + " runAsGroup").isInstanceOf(Integer.class);
				assertThat((Integer) effective.get("runAsGroup")).as(where + " runAsGroup").isPositive();
				assertThat(effective.get("seccompProfile")).as(where + " seccomp")
					.isEqualTo(Map.of("type", "RuntimeDefault"));
				assertThat(context.get("allowPrivilegeEscalation")).as(where).isEqualTo(false);
				assertThat(context.get("readOnlyRootFilesystem")).as(where).isEqualTo(true);
				assertThat(context.get("privileged")).as(where).isNotEqualTo(true);
				assertThat(map(context, "capabilities")).as(where + " capabilities")
					.isEqualTo(Map.of("drop", List.of("ALL")));
				list(container.get("ports"))
					.forEach((port) -> assertThat(port).as(where + " hostPort").doesNotContainKey("hostPort"));
			}
		}
		for (String service : SERVICES) {
			Map<String, Object> pod = map(map(map(resource("Deployment", service), "spec"), "template"), "spec");
			assertThat(list(container(service).get("volumeMounts"))).as(service + " writes only to /tmp")
				.containsExactly(Map.of("name", "tmp", "mountPath", "/tmp"));
			assertThat(list(pod.get("volumes"))).as(service)
				.singleElement()
				.satisfies((volume) -> assertThat(volume).containsEntry("name", "tmp").containsKey("emptyDir"));
		}
	}

	@Test
	void whenAPodStopsThenEndpointsDrainBeforeSigtermAndTheGracefulShutdownFitsTheGracePeriod() throws IOException {
		for (String service : SERVICES) {
			Map<String, Object> configuration = applicationYml(service);
			assertThat(path(configuration, "server.shutdown")).as(service + " server.shutdown").isEqualTo("graceful");
			Object phase = path(configuration, "spring.lifecycle.timeout-per-shutdown-phase");
			int shutdownSeconds = (phase != null) ? Integer.parseInt(phase.toString().replace("s", ""))
					: DEFAULT_SHUTDOWN_PHASE_SECONDS;
			Object sleep = path(container(service), "lifecycle.preStop.sleep.seconds");
			assertThat(sleep).as(service + " preStop sleep action").isInstanceOf(Integer.class);
			assertThat((Integer) sleep).as(service + " preStop sleep").isBetween(5, 30);
			Object grace = path(resource("Deployment", service), "spec.template.spec.terminationGracePeriodSeconds");
			assertThat(grace).as(service + " terminationGracePeriodSeconds").isInstanceOf(Integer.class);
			assertThat((Integer) grace)
				.as(service + ": the grace period covers the preStop sleep, the shutdown phase " + "and the JVM's exit")
				.isGreaterThanOrEqualTo((Integer) sleep + shutdownSeconds + 5);
		}
	}

	@Test
	void whenADeploymentRunsThenOneDisruptionBudgetCoversItWithoutBlockingADrain() {
		for (Map<String, Object> deployment : ofKind("Deployment")) {
			String name = map(deployment, "metadata").get("name").toString();
			Object selector = map(map(deployment, "spec"), "selector");
			List<Map<String, Object>> budgets = ofKind("PodDisruptionBudget").stream()
				.filter((budget) -> selector.equals(map(budget, "spec").get("selector")))
				.toList();
			assertThat(budgets).as("a PodDisruptionBudget selects " + name).hasSize(1);
			Map<String, Object> spec = map(budgets.get(0), "spec");
			assertThat(spec).as(name).doesNotContainKey("minAvailable");
			assertThat(spec.get("maxUnavailable")).as(name + " lets a drain evict a pod").isEqualTo(1);
			assertThat(spec.get("unhealthyPodEvictionPolicy")).as(name).isEqualTo("AlwaysAllow");
		}
		assertThat(ofKind("PodDisruptionBudget")).hasSameSizeAs(ofKind("Deployment"));
	}

	@Test
	void whenAnAutoscalerScalesADeploymentThenTheDeploymentSetsNoReplicas() {
		for (Map<String, Object> hpa : ofKind("HorizontalPodAutoscaler")) {
			Map<String, Object> target = map(map(hpa, "spec"), "scaleTargetRef");
			assertThat(target.get("kind")).isEqualTo("Deployment");
			assertThat(map(resource("Deployment", target.get("name").toString()), "spec"))
				.as(target.get("name") + ": replicas beside an HPA are reset by every apply")
				.doesNotContainKey("replicas");
		}
		assertThat(ofKind("HorizontalPodAutoscaler")).hasSize(SERVICES.size());
	}

	@Test
	void whenTheGatewayIsExposedThenOnlyItHasAnIngressWithTlsOnItsApiPort() {
		List<Map<String, Object>> ingresses = ofKind("Ingress");
		assertThat(ingresses).as("one Ingress, the gateway's").hasSize(1);
		Map<String, Object> spec = map(ingresses.get(0), "spec");
		assertThat(spec.get("ingressClassName")).as("ingressClassName").isNotNull();
		List<Map<String, Object>> rules = list(spec.get("rules"));
		assertThat(rules).isNotEmpty();
		for (Map<String, Object> rule : rules) {
			for (Map<String, Object> path : list(map(rule, "http").get("paths"))) {
				assertThat(map(path, "backend").get("service")).as("every path goes to the gateway's API port")
					.isEqualTo(Map.of("name", "gateway-service", "port", Map.of("name", "http")));
			}
		}
		List<Map<String, Object>> tls = list(spec.get("tls"));
		assertThat(tls).as("TLS").hasSize(1);
		assertThat(tls.get(0).get("secretName")).isNotNull();
		assertThat(strings(tls.get(0).get("hosts"))).as("TLS covers the rules' hosts")
			.containsExactlyElementsOf(rules.stream().map((rule) -> rule.get("host").toString()).toList());

		// The placeholders come from ingress-settings, which kustomize reads and does not
		// apply.
		Map<String, Object> settings = resource("ConfigMap", "ingress-settings");
		assertThat(isLocalConfig(settings)).as("ingress-settings is kustomize's local config").isTrue();
		Map<String, Object> kustomization = documentsByFile.get("kustomization.yaml").get(0);
		Map<String, List<String>> replaced = new LinkedHashMap<>();
		for (Map<String, Object> replacement : list(kustomization.get("replacements"))) {
			Map<String, Object> source = map(replacement, "source");
			assertThat(source).containsEntry("kind", "ConfigMap").containsEntry("name", "ingress-settings");
			String key = source.get("fieldPath").toString().replace("data.", "");
			assertThat(map(settings, "data")).containsKey(key);
			for (Map<String, Object> target : list(replacement.get("targets"))) {
				if (Map.of("kind", "Deployment", "name", "console").equals(map(target, "select"))) {
					// The console's public address is https:// and the Ingress's host.
					assertThat(key).isEqualTo("host");
					assertThat(strings(target.get("fieldPaths"))).containsExactly(
							"spec.template.spec.containers.[name=console].env.[name=SWITCHBOARD_CONSOLE_PUBLIC_URI].value");
					assertThat(map(target, "options")).containsEntry("delimiter", "//").containsEntry("index", 1);
					continue;
				}
				assertThat(map(target, "select")).containsEntry("kind", "Ingress")
					.containsEntry("name", "gateway-service");
				replaced.computeIfAbsent(key, (k) -> new ArrayList<>()).addAll(strings(target.get("fieldPaths")));
			}
		}
		assertThat(replaced).containsOnlyKeys("host", "tlsSecretName", "ingressClassName");
		assertThat(replaced.get("host")).containsExactlyInAnyOrder("spec.rules.0.host", "spec.tls.0.hosts.0");
		assertThat(replaced.get("tlsSecretName")).containsExactly("spec.tls.0.secretName");
		assertThat(replaced.get("ingressClassName")).containsExactly("spec.ingressClassName");
	}

	@Test
	void whenKubectlIsInstalledThenKustomizeBuildsTheDirectoryWithTheIngressSettingsInPlace() throws Exception {
		Path kubectl = Binaries.find("kubectl").orElse(null);
		Assumptions.assumeTrue(kubectl != null, "Skipped: kubectl is not on the PATH");
		// replacements and labels need kustomize 4 or later (kubectl 1.21+; Debian 12
		// packages 1.20).
		Process version = new ProcessBuilder(kubectl.toString(), "version", "--client").redirectErrorStream(true)
			.start();
		String versions = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
		Matcher kustomize = Pattern.compile("Kustomize Version: v(\\d+)").matcher(versions);
		Assumptions.assumeTrue(kustomize.find() && Integer.parseInt(kustomize.group(1)) >= 4,
				"Skipped: kubectl's kustomize is older than v4: " + versions);
		Process process = new ProcessBuilder(kubectl.toString(), "kustomize", k8s.toString()).redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		Map<String, Map<String, Object>> built = new LinkedHashMap<>();
		for (Object document : new Yaml().loadAll(output)) {
			@SuppressWarnings("unchecked")
			Map<String, Object> resource = (Map<String, Object>) document;
			built.put(resource.get("kind") + "/" + map(resource, "metadata").get("name"), resource);
		}
		Set<String> expected = new LinkedHashSet<>(resources.keySet());
		expected.remove("ConfigMap/ingress-settings");
		assertThat(built.keySet()).containsExactlyInAnyOrderElementsOf(expected);
		Map<String, Object> settings = map(resource("ConfigMap", "ingress-settings"), "data");
		Map<String, Object> ingress = map(built.get("Ingress/gateway-service"), "spec");
		assertThat(ingress.get("ingressClassName")).isEqualTo(settings.get("ingressClassName"));
		assertThat(path(ingress, "rules.0.host")).isEqualTo(settings.get("host"));
		assertThat(path(ingress, "tls.0.hosts.0")).isEqualTo(settings.get("host"));
		assertThat(path(ingress, "tls.0.secretName")).isEqualTo(settings.get("tlsSecretName"));
		Map<String, Object> console = built.get("Deployment/console");
		assertThat(list(path(console, "spec.template.spec.containers.0.env")))
			.contains(Map.of("name", "SWITCHBOARD_CONSOLE_PUBLIC_URI", "value", "https://" + settings.get("host")));
	}

	@Test
	void whenTheConsoleIsDeployedThenOnlyTheGatewayReachesItAndItReachesOnlyTheGatewayKafkaAndTheProvider()
			throws IOException {
		Map<String, Object> policy = resource("NetworkPolicy", "console");
		Map<String, Object> spec = map(policy, "spec");
		assertThat(spec.get("podSelector"))
			.isEqualTo(Map.of("matchLabels", Map.of("app.kubernetes.io/name", "console")));
		List<Map<String, Object>> ingress = list(spec.get("ingress"));
		assertThat(ingress).hasSize(2);
		for (Map<String, Object> rule : ingress) {
			Object port = list(rule.get("ports")).get(0).get("port");
			assertThat(list(rule.get("from"))).as("console port " + port)
				.containsExactly(port.equals(8085) ? GATEWAY_PODS : PROMETHEUS_NAMESPACE);
		}
		assertThat(list(spec.get("egress")).stream()
			.flatMap((rule) -> list(rule.get("ports")).stream())
			.map((p) -> p.get("port"))
			.toList()).as("the gateway's API, Kafka and the OIDC provider; no database")
			.containsExactlyInAnyOrder(8080, 9092, 443);
		assertThat(list(map(resource("NetworkPolicy", "gateway-service"), "spec").get("egress")))
			.as("the gateway reaches the console")
			.anySatisfy((rule) -> assertThat(list(rule.get("ports")).get(0).get("port")).isEqualTo(8085));
		assertThat(variable("console", "SWITCHBOARD_DB_USERNAME")).isNull();
		assertThat(variable("console", "SWITCHBOARD_IDENTITY_JWK_SET_URI")).isNull();
		assertThat(variable("console", "SWITCHBOARD_CONSOLE_SECURE_COOKIE")).containsEntry("value", "true");
		ServiceProperties properties = ServiceProperties
			.of(Repository.root().resolve("console/src/main/resources/application.yml"));
		list(container("console").get("env")).forEach((variable) -> {
			String name = variable.get("name").toString();
			if (ServiceProperties.isProperty(name)) {
				assertThat(properties.binds(name)).as("the console reads %s", name).isTrue();
			}
		});
	}

	@Test
	void whenPrometheusOperatorScrapesThenAServiceMonitorCoversEveryManagementPortUnderTheRulesJobNames()
			throws IOException {
		Map<String, String> jobs = prometheusJobs();
		List<Map<String, Object>> monitors = ofKind("ServiceMonitor");
		for (Map<String, Object> service : ofKind("Service")) {
			String name = map(service, "metadata").get("name").toString();
			Map<String, Object> labels = map(map(service, "metadata"), "labels");
			for (Map<String, Object> port : list(map(service, "spec").get("ports"))) {
				String portName = port.get("name").toString();
				if (!portName.equals("management") && !portName.equals("metrics")) {
					continue;
				}
				List<Map<String, Object>> endpoints = monitors.stream()
					.filter((monitor) -> selects(map(map(monitor, "spec"), "selector"), labels))
					.flatMap((monitor) -> list(map(monitor, "spec").get("endpoints")).stream())
					.filter((endpoint) -> portName.equals(endpoint.get("port")))
					.toList();
				assertThat(endpoints).as("one ServiceMonitor endpoint scrapes " + name + " port " + portName)
					.hasSize(1);
				Map<String, Object> endpoint = endpoints.get(0);
				String job = jobs.get(name + ":" + port.get("port"));
				assertThat(job).as("deploy/prometheus/prometheus.yml scrapes " + name).isNotNull();
				assertThat(endpoint.get("path")).as(name)
					.isEqualTo(portName.equals("management") ? "/actuator/prometheus" : "/metrics");
				assertThat(list(endpoint.get("relabelings"))).as(name + ": the job label the alert rules select")
					.contains(Map.of("targetLabel", "job", "replacement", job));
				if (name.equals("gateway-service")) {
					assertThat(map(endpoint, "authorization")).as("the gateway's actuator wants an SRE token")
						.containsEntry("type", "Bearer")
						.containsKey("credentials");
				}
			}
		}
		for (Map<String, Object> monitor : monitors) {
			assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		}
	}

	@Test
	void whenTheRuleFilesChangeThenThePrometheusRuleIsTheirGeneratedForm() throws IOException {
		Path root = Repository.root();
		assertThat(Files.readString(root.resolve(PrometheusRuleGenerator.TARGET)))
			.as("%s is out of date with %s: run %s", PrometheusRuleGenerator.TARGET, PrometheusRuleGenerator.RULES,
					PrometheusRuleGenerator.COMMAND)
			.isEqualTo(PrometheusRuleGenerator.generate(root));
		List<Object> groups = new ArrayList<>();
		for (Path file : PrometheusRuleGenerator.ruleFiles(root)) {
			try (Reader reader = Files.newBufferedReader(file)) {
				Map<String, Object> rules = new Yaml().load(reader);
				groups.addAll(list(rules.get("groups")));
			}
		}
		Map<String, Object> rule = resource("PrometheusRule", "switchboard");
		assertThat(rule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat(map(rule, "spec").get("groups")).as("the rule files' groups, inline").isEqualTo(groups);
	}

	@Test
	void whenTopicsAreDeclaredThenEachHasProductionReplicationAndTheServicesCreateMissingOnesAlike()
			throws IOException {
		Set<String> expected = new LinkedHashSet<>(Topics.ALL);
		SERVICES.forEach((service) -> expected.add(Topics.deadLetters(service)));
		Map<String, Object> config = map(resource("ConfigMap", "switchboard-config"), "data");
		int partitions = Integer.parseInt(config.get("SWITCHBOARD_KAFKA_PARTITIONS").toString());
		assertThat(config).containsEntry("SWITCHBOARD_KAFKA_REPLICATION_FACTOR", "3")
			.containsEntry("SWITCHBOARD_KAFKA_MIN_INSYNC_REPLICAS", "2");
		for (Map<String, Object> topic : kafkaTopics) {
			assertThat(topic.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1");
			assertThat(topic.get("kind")).isEqualTo("KafkaTopic");
			Map<String, Object> spec = map(topic, "spec");
			String name = spec.get("topicName").toString();
			assertThat(spec).as(name).containsEntry("replicas", 3).containsEntry("partitions", partitions);
			assertThat(map(spec, "config")).as(name).containsEntry("min.insync.replicas", 2);
		}
		assertThat(kafkaTopics).extracting((topic) -> map(topic, "spec").get("topicName"))
			.as("every topic the services use, once")
			.containsExactlyInAnyOrderElementsOf(expected);

		// Strimzi's Topic Operator watches its cluster's namespace for topics labelled
		// with the cluster.
		Map<String, Object> kustomization;
		try (Reader reader = Files.newBufferedReader(k8s.resolve("kafka-topics/kustomization.yaml"))) {
			kustomization = new Yaml().load(reader);
		}
		assertThat(strings(kustomization.get("resources"))).containsExactly("topics.yaml");
		Object cluster = map(list(kustomization.get("labels")).get(0), "pairs").get("strimzi.io/cluster");
		assertThat(config.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"))
			.as("the bootstrap Service of the cluster and namespace the topics are declared in")
			.isEqualTo(cluster + "-kafka-bootstrap." + kustomization.get("namespace") + ".svc:9092");
	}

	@Test
	void whenAServiceConsumesATopicThenItsAutoscalerAllowsNoMoreConsumersThanTheTopicHasPartitions()
			throws IOException {
		Map<String, Integer> partitions = new LinkedHashMap<>();
		kafkaTopics.forEach((topic) -> partitions.put(map(topic, "spec").get("topicName").toString(),
				(Integer) map(topic, "spec").get("partitions")));
		int consuming = 0;
		for (String service : SERVICES) {
			Object bindings = path(applicationYml(service), "spring.cloud.stream.bindings");
			if (!(bindings instanceof Map<?, ?> byName)) {
				continue;
			}
			int maxReplicas = (Integer) map(resource("HorizontalPodAutoscaler", service), "spec").get("maxReplicas");
			for (Map.Entry<?, ?> binding : byName.entrySet()) {
				if (!binding.getKey().toString().contains("-in-")) {
					continue;
				}
				consuming++;
				@SuppressWarnings("unchecked")
				Map<String, Object> properties = (Map<String, Object>) binding.getValue();
				Object concurrency = path(properties, "consumer.concurrency");
				int threads = (concurrency != null) ? Integer.parseInt(resolve(service, concurrency.toString())) : 1;
				for (String topic : properties.get("destination").toString().split(",")) {
					assertThat(partitions).as(service + " consumes " + topic).containsKey(topic.strip());
					assertThat(maxReplicas * threads)
						.as("%s: %d replicas x %d listener threads of %s on %s (%d partitions): the rest would idle",
								service, maxReplicas, threads, binding.getKey(), topic, partitions.get(topic.strip()))
						.isLessThanOrEqualTo(partitions.get(topic.strip()));
				}
			}
		}
		assertThat(consuming).as("consumer bindings found").isGreaterThanOrEqualTo(4);
	}

	/**
	 * A value as the service sees it: a placeholder resolved from its Deployment's
	 * environment.
	 */
	private static String resolve(String service, String value) {
		Matcher placeholder = PLACEHOLDER.matcher(value);
		if (!placeholder.matches()) {
			return value;
		}
		Map<String, Object> variable = variable(service, placeholder.group(1));
		if (variable != null) {
			return variable.get("value").toString();
		}
		assertThat(placeholder.group(2)).as(service + ": " + value + " has a default").isNotNull();
		return placeholder.group(2);
	}

	private static Map<String, Object> applicationYml(String service) throws IOException {
		try (Reader reader = Files
			.newBufferedReader(Repository.root().resolve(service).resolve("src/main/resources/application.yml"))) {
			return new Yaml().load(reader);
		}
	}

	/**
	 * Each scrape target of deploy/prometheus/prometheus.yml ({@code host:port}) and its
	 * job.
	 */
	private static Map<String, String> prometheusJobs() throws IOException {
		Map<String, Object> prometheus;
		try (Reader reader = Files.newBufferedReader(Repository.deploy().resolve("prometheus/prometheus.yml"))) {
			prometheus = new Yaml().load(reader);
		}
		Map<String, String> jobs = new LinkedHashMap<>();
		for (Map<String, Object> job : list(prometheus.get("scrape_configs"))) {
			for (Map<String, Object> targets : list(job.get("static_configs"))) {
				strings(targets.get("targets")).forEach((target) -> jobs.put(target, job.get("job_name").toString()));
			}
			for (Map<String, Object> discovery : list(job.get("file_sd_configs"))) {
				for (String pattern : strings(discovery.get("files"))) {
					Path file = Repository.deploy().resolve("prometheus").resolve(pattern.replace("*", ""));
					try (Reader reader = Files.newBufferedReader(file)) {
						for (Map<String, Object> targets : list(new Yaml().load(reader))) {
							strings(targets.get("targets"))
								.forEach((target) -> jobs.put(target, job.get("job_name").toString()));
						}
					}
				}
			}
		}
		return jobs;
	}

	/**
	 * Whether a label selector (matchLabels, matchExpressions with In) selects labels.
	 */
	private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
		Object matchLabels = selector.get("matchLabels");
		if (matchLabels instanceof Map<?, ?> wanted && !labels.entrySet().containsAll(wanted.entrySet())) {
			return false;
		}
		for (Map<String, Object> expression : list(selector.get("matchExpressions"))) {
			assertThat(expression.get("operator")).isEqualTo("In");
			if (!strings(expression.get("values")).contains(String.valueOf(labels.get(expression.get("key"))))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isLocalConfig(Map<String, Object> resource) {
		return map(resource, "metadata").get("annotations") instanceof Map<?, ?> annotations
				&& "true".equals(annotations.get("config.kubernetes.io/local-config"));
	}

	/** A nested value by a dotted path; list elements by index. */
	private static @Nullable Object path(Map<String, Object> node, String path) {
		Object value = node;
		for (String key : path.split("\\.")) {
			if (value instanceof Map<?, ?> map) {
				value = map.get(key);
			}
			else if (value instanceof List<?> list && key.chars().allMatch(Character::isDigit)
					&& Integer.parseInt(key) < list.size()) {
				value = list.get(Integer.parseInt(key));
			}
			else {
				return null;
			}
		}
		return value;
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
