package dev.switchboard.local.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.Yaml;

/**
 * The objects {@code kubectl kustomize deploy/k8s} renders, and the environment a
 * Deployment's container gets from them: {@code envFrom} (ConfigMaps and Secrets, with
 * their prefixes), then {@code env} ({@code value}, {@code configMapKeyRef},
 * {@code secretKeyRef}), as the kubelet builds it. Secrets and ConfigMaps that the
 * kustomization does not hold (the operator creates them) are given. A reference to a
 * missing object or key that is not {@code optional} fails, naming it, as the kubelet
 * refuses to start the container ({@code CreateContainerConfigError}).
 */
public final class KubernetesManifests {

	private final List<Map<String, Object>> objects;

	private KubernetesManifests(List<Map<String, Object>> objects) {
		this.objects = objects;
	}

	/**
	 * Renders a kustomization with {@code kubectl kustomize}.
	 * @param kubectl the kubectl binary (with kustomize 4 or later)
	 * @param directory the kustomization's directory
	 * @return the rendered objects
	 * @throws IOException if kubectl fails
	 * @throws InterruptedException if interrupted
	 */
	public static KubernetesManifests kustomize(Path kubectl, Path directory) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(kubectl.toString(), "kustomize", directory.toString()).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("kubectl kustomize " + directory + " failed: " + errors);
		}
		return parse(new StringReader(output));
	}

	/**
	 * Renders a kustomization with {@code kubectl kustomize} where kubectl is on the
	 * {@code PATH}, else with {@link #readKustomization(Path)}.
	 * @param directory the kustomization's directory
	 * @return the rendered objects
	 * @throws IOException if a file cannot be read or kubectl fails
	 * @throws InterruptedException if interrupted
	 */
	public static KubernetesManifests render(Path directory) throws IOException, InterruptedException {
		Path kubectl = Binaries.find("kubectl").orElse(null);
		return (kubectl != null) ? kustomize(kubectl, directory) : readKustomization(directory);
	}

	/**
	 * The kustomization's objects without kubectl: its {@code resources} (files, and
	 * directories with a kustomization of their own) and its {@code namespace}. It does
	 * not apply {@code labels}, {@code images} or {@code replacements}, which change no
	 * container's environment and no ConfigMap here; {@code KubernetesManifestsTests}
	 * compares what it gives with kubectl's rendering wherever kubectl is installed.
	 * @param directory the kustomization's directory
	 * @return the objects
	 * @throws IOException if a file cannot be read
	 */
	@SuppressWarnings("unchecked")
	public static KubernetesManifests readKustomization(Path directory) throws IOException {
		Map<String, Object> kustomization;
		try (Reader reader = Files.newBufferedReader(directory.resolve("kustomization.yaml"))) {
			kustomization = new Yaml().load(reader);
		}
		List<Map<String, Object>> objects = new ArrayList<>();
		for (String resource : (List<String>) kustomization.getOrDefault("resources", List.of())) {
			Path path = directory.resolve(resource);
			objects.addAll(Files.isDirectory(path) ? readKustomization(path).objects : read(path).objects);
		}
		Object namespace = kustomization.get("namespace");
		if (namespace != null) {
			for (Map<String, Object> object : objects) {
				if (!"Namespace".equals(object.get("kind"))) {
					((Map<String, Object>) object.get("metadata")).put("namespace", namespace);
				}
			}
		}
		return new KubernetesManifests(objects);
	}

	/**
	 * Objects made in code (e.g. a test's Secrets).
	 * @param objects the objects
	 * @return them
	 */
	public static KubernetesManifests of(List<Map<String, Object>> objects) {
		return new KubernetesManifests(List.copyOf(objects));
	}

	/**
	 * Reads objects from YAML documents (e.g. the test's own Secrets).
	 * @param file the file
	 * @return the objects
	 * @throws IOException if it cannot be read
	 */
	public static KubernetesManifests read(Path file) throws IOException {
		try (Reader reader = Files.newBufferedReader(file)) {
			return parse(reader);
		}
	}

	@SuppressWarnings("unchecked")
	private static KubernetesManifests parse(Reader reader) {
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml().loadAll(reader)) {
			if (document != null) {
				objects.add((Map<String, Object>) document);
			}
		}
		return new KubernetesManifests(objects);
	}

	/**
	 * These objects and more, as when the operator has applied those too.
	 * @param more objects made outside the kustomization
	 * @return both
	 */
	public KubernetesManifests with(KubernetesManifests more) {
		List<Map<String, Object>> all = new ArrayList<>(this.objects);
		all.addAll(more.objects);
		return new KubernetesManifests(all);
	}

	public List<Map<String, Object>> objects() {
		return this.objects;
	}

	/**
	 * The one object of a kind and name.
	 * @param kind e.g. Deployment
	 * @param name its metadata.name
	 * @return the object
	 */
	@SuppressWarnings("unchecked")
	public Map<String, Object> get(String kind, String name) {
		return this.objects.stream()
			.filter((object) -> kind.equals(object.get("kind"))
					&& name.equals(((Map<String, Object>) object.get("metadata")).get("name")))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No " + kind + " " + name));
	}

	/**
	 * The names of the objects of a kind.
	 * @param kind e.g. Deployment
	 * @return their names
	 */
	@SuppressWarnings("unchecked")
	public List<String> names(String kind) {
		return this.objects.stream()
			.filter((object) -> kind.equals(object.get("kind")))
			.map((object) -> ((Map<String, Object>) object.get("metadata")).get("name").toString())
			.toList();
	}

	/**
	 * The environment of a Deployment's first container, as the kubelet builds it.
	 * @param deployment the Deployment's name
	 * @return the variables
	 */
	@SuppressWarnings("unchecked")
	public Map<String, String> environment(String deployment) {
		Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) get("Deployment",
				deployment)
			.get("spec")).get("template")).get("spec");
		Map<String, Object> container = ((List<Map<String, Object>>) spec.get("containers")).getFirst();
		Map<String, String> environment = new LinkedHashMap<>();
		for (Map<String, Object> source : (List<Map<String, Object>>) container.getOrDefault("envFrom", List.of())) {
			String prefix = String.valueOf(source.getOrDefault("prefix", ""));
			Map<String, Object> configMap = (Map<String, Object>) source.get("configMapRef");
			Map<String, Object> secret = (Map<String, Object>) source.get("secretRef");
			Map<String, Object> ref = (configMap != null) ? configMap : secret;
			Map<String, String> data = data((configMap != null) ? "ConfigMap" : "Secret", ref.get("name").toString(),
					Boolean.TRUE.equals(ref.get("optional")));
			data.forEach((name, value) -> environment.put(prefix + name, value));
		}
		for (Map<String, Object> variable : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
			String name = variable.get("name").toString();
			if (variable.containsKey("value")) {
				String value = String.valueOf(variable.get("value"));
				if (value.contains("$(")) {
					throw new IllegalArgumentException(deployment + " " + name + " uses $(...) expansion, which this "
							+ "reading of the manifests does not do: " + value);
				}
				environment.put(name, value);
				continue;
			}
			Map<String, Object> from = (Map<String, Object>) variable.get("valueFrom");
			Map<String, Object> configMap = (Map<String, Object>) from.get("configMapKeyRef");
			Map<String, Object> secret = (Map<String, Object>) from.get("secretKeyRef");
			if (configMap == null && secret == null) {
				throw new IllegalArgumentException(deployment + " " + name + ": only configMapKeyRef and secretKeyRef "
						+ "are read here: " + from);
			}
			Map<String, Object> ref = (configMap != null) ? configMap : secret;
			String kind = (configMap != null) ? "ConfigMap" : "Secret";
			boolean optional = Boolean.TRUE.equals(ref.get("optional"));
			String value = data(kind, ref.get("name").toString(), optional).get(ref.get("key").toString());
			if (value != null) {
				environment.put(name, value);
			}
			else if (!optional) {
				throw new IllegalArgumentException("%s: %s needs key %s of %s %s, which is missing"
					.formatted(deployment, name, ref.get("key"), kind, ref.get("name")));
			}
		}
		return environment;
	}

	@SuppressWarnings("unchecked")
	private Map<String, String> data(String kind, String name, boolean optional) {
		Map<String, Object> object;
		try {
			object = get(kind, name);
		}
		catch (IllegalArgumentException ex) {
			if (optional) {
				return Map.of();
			}
			throw new IllegalArgumentException(kind + " " + name + " is missing", ex);
		}
		Map<String, String> data = new LinkedHashMap<>();
		((Map<String, Object>) object.getOrDefault("data", Map.of())).forEach((key, value) -> data.put(key,
				"Secret".equals(kind)
						? new String(java.util.Base64.getDecoder().decode(value.toString()), StandardCharsets.UTF_8)
						: String.valueOf(value)));
		((Map<String, Object>) object.getOrDefault("stringData", Map.of()))
			.forEach((key, value) -> data.put(key, String.valueOf(value)));
		return data;
	}

}
