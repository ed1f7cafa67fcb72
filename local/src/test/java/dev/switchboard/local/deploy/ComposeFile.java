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

import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as {@code docker compose config} would render it for a set of env
 * files: anchors and merge keys resolved (SnakeYAML), every string interpolated
 * ({@link ComposeInterpolation}) from the env files only (never this JVM's environment),
 * services outside the active profiles left out ({@code COMPOSE_PROFILES} from the env
 * files, or given), and each service's environment from {@code env_file} then
 * {@code environment}.
 */
public final class ComposeFile {

	private final Map<String, Map<String, Object>> services;

	private final Map<String, String> variables;

	private final Set<String> profiles;

	private ComposeFile(Map<String, Map<String, Object>> services, Map<String, String> variables,
			Set<String> profiles) {
		this.services = services;
		this.variables = variables;
		this.profiles = profiles;
	}

	/**
	 * Renders a compose file.
	 * @param compose the file
	 * @param envFiles the files given with {@code --env-file}, in order (later ones win)
	 * @return the rendered model
	 * @throws IOException if a file cannot be read
	 * @throws ComposeInterpolation.MissingVariableException when a required variable is
	 * missing, as {@code docker compose} refuses to start then
	 */
	@SuppressWarnings("unchecked")
	public static ComposeFile render(Path compose, List<Path> envFiles) throws IOException {
		Map<String, String> variables = new LinkedHashMap<>();
		for (Path envFile : envFiles) {
			variables = ComposeInterpolation.readEnvFile(envFile, variables);
		}
		Map<String, Object> model;
		try (Reader reader = Files.newBufferedReader(compose)) {
			model = new Yaml().load(reader);
		}
		ComposeInterpolation interpolation = new ComposeInterpolation(variables);
		model = (Map<String, Object>) interpolate(model, interpolation);
		Set<String> profiles = new LinkedHashSet<>();
		for (String profile : variables.getOrDefault("COMPOSE_PROFILES", "").split(",")) {
			if (!profile.isBlank()) {
				profiles.add(profile.strip());
			}
		}
		Map<String, Map<String, Object>> active = new LinkedHashMap<>();
		((Map<String, Map<String, Object>>) model.get("services")).forEach((name, service) -> {
			Object serviceProfiles = service.get("profiles");
			if (!(serviceProfiles instanceof List<?> list) || list.stream().anyMatch(profiles::contains)) {
				active.put(name, service);
			}
		});
		return new ComposeFile(active, Map.copyOf(variables), profiles);
	}

	/** The services that run with the active profiles, by name. */
	public Map<String, Map<String, Object>> services() {
		return this.services;
	}

	public Set<String> profiles() {
		return this.profiles;
	}

	/** The variables of the env files, after interpolation. */
	public Map<String, String> variables() {
		return this.variables;
	}

	/**
	 * The environment a service's container gets: its {@code env_file}s, then its
	 * {@code environment} (map or list form). A variable listed without a value takes the
	 * one of the env files, as Compose takes it from the shell, or is left out.
	 * @param service the service's name
	 * @param directory where relative {@code env_file} paths start (the project
	 * directory)
	 * @return the variables
	 * @throws IOException if an env file cannot be read
	 */
	public Map<String, String> environment(String service, Path directory) throws IOException {
		Map<String, Object> definition = this.services.get(service);
		if (definition == null) {
			throw new IllegalArgumentException("No active service " + service + " (profiles " + this.profiles + ")");
		}
		Map<String, String> environment = new LinkedHashMap<>();
		Object envFiles = definition.get("env_file");
		List<Object> files = (envFiles instanceof List<?> list) ? new ArrayList<>(list)
				: (envFiles != null) ? List.of(envFiles) : List.of();
		for (Object file : files) {
			Path path = directory
				.resolve((file instanceof Map<?, ?> entry) ? entry.get("path").toString() : file.toString());
			boolean required = !(file instanceof Map<?, ?> entry)
					|| !"false".equals(String.valueOf(entry.get("required")));
			if (Files.exists(path) || required) {
				environment.putAll(ComposeInterpolation.readEnvFile(path, Map.of()));
			}
		}
		Object variables = definition.get("environment");
		if (variables instanceof Map<?, ?> map) {
			map.forEach((name, value) -> put(environment, name.toString(), value));
		}
		else if (variables instanceof List<?> list) {
			for (Object entry : list) {
				String text = entry.toString();
				int equals = text.indexOf('=');
				put(environment, (equals < 0) ? text : text.substring(0, equals),
						(equals < 0) ? null : text.substring(equals + 1));
			}
		}
		return environment;
	}

	private void put(Map<String, String> environment, String name, Object value) {
		if (value != null) {
			environment.put(name, value.toString());
		}
		else if (this.variables.containsKey(name)) {
			environment.put(name, this.variables.get(name));
		}
	}

	private static Object interpolate(Object node, ComposeInterpolation interpolation) {
		if (node instanceof String text) {
			return interpolation.interpolate(text);
		}
		if (node instanceof Map<?, ?> map) {
			Map<Object, Object> copy = new LinkedHashMap<>();
			map.forEach((key, value) -> copy.put(key, interpolate(value, interpolation)));
			return copy;
		}
		if (node instanceof List<?> list) {
			return list.stream().map((value) -> interpolate(value, interpolation)).toList();
		}
		return node;
	}

}
