package dev.switchboard.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * exist.
 */
class DockerComposeTests {

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
		try (Reader reader = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
			Map<String, Object> compose = new Yaml().load(reader);
			services = (Map<String, Map<String, Object>>) compose.get("services");
		}
		assertThat(services).containsKeys("kafka", "postgres", "gateway-service", "inbox-service", "routing-service",
				"audit-service", "billing-service", "prometheus", "grafana", "postgres-exporter");
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
			assertThat(text).contains("EXPOSE " + serverPort(service));
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
	void whenAServiceIsHealthCheckedOrPublishedThenItIsOnItsServerPort() {
		for (Map.Entry<String, Map<String, Object>> service : built()) {
			String port = serverPort(service);
			assertThat(service.getValue().get("healthcheck").toString()).as(service.getKey())
				.contains("localhost:" + port + "/actuator/health/readiness");
			Object ports = service.getValue().get("ports");
			if (ports instanceof List<?> published) {
				assertThat(published).as(service.getKey())
					.allSatisfy((mapping) -> assertThat(mapping.toString()).endsWith(":" + port));
			}
		}
	}

	@Test
	void whenPrometheusScrapesATargetThenItIsAComposeServiceOnItsPort() throws IOException {
		String config = Files.readString(root.resolve("deploy/prometheus/prometheus.yml"));
		Matcher target = Pattern.compile("- ([a-z-]+):(\\d+)").matcher(config);
		List<String> targets = new ArrayList<>();
		while (target.find()) {
			String host = target.group(1);
			targets.add(host);
			assertThat(services).as("scrape target " + host).containsKey(host);
			assertThat(serverPort(Map.entry(host, services.get(host)))).isEqualTo(target.group(2));
		}
		assertThat(targets).containsExactlyInAnyOrder("inbox-service", "routing-service", "audit-service",
				"billing-service", "gateway-service");
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

	private static List<Map.Entry<String, Map<String, Object>>> built() {
		List<Map.Entry<String, Map<String, Object>>> built = services.entrySet()
			.stream()
			.filter((service) -> service.getValue().containsKey("build"))
			.toList();
		assertThat(built).extracting(Map.Entry::getKey)
			.containsExactlyInAnyOrder("gateway-service", "inbox-service", "routing-service", "audit-service",
					"billing-service");
		return built;
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
