package dev.switchboard.console.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class SrePropertiesTests {

	@Test
	void whenTheConsoleLinksGrafanaDashboardsThenEachIsOneTheDeploymentProvisions() throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		for (PropertySource<?> source : new YamlPropertySourceLoader().load("application",
				new ClassPathResource("application.yml"))) {
			environment.getPropertySources().addLast(source);
		}
		SreProperties properties = Binder.get(environment)
			.bind("switchboard.console.sre", SreProperties.class)
			.orElseThrow(() -> new AssertionError("switchboard.console.sre is not set"));

		List<String> provisioned;
		JsonMapper json = JsonMapper.builder().build();
		try (Stream<Path> files = Files.list(Path.of("../deploy/grafana/dashboards"))) {
			provisioned = files.filter((file) -> file.toString().endsWith(".json"))
				.map((file) -> json.readTree(file.toFile()).path("uid").asString())
				.toList();
		}
		assertThat(properties.dashboards()).extracting(SreProperties.Dashboard::uid)
			.isNotEmpty()
			.allSatisfy((uid) -> assertThat(provisioned).contains(uid));
		assertThat(properties.link(properties.dashboards().getFirst()))
			.isEqualTo("http://127.0.0.1:3000/d/" + properties.dashboards().getFirst().uid());
	}

}
