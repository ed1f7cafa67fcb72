package dev.switchboard.local.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes deploy/k8s/prometheus-rule.yaml, the Prometheus Operator's
 * {@code PrometheusRule}, from the rule files that promtool checks and tests
 * (deploy/prometheus/rules/*.yml): their groups, inline and unchanged (comments
 * included). {@code KubernetesManifestTests} fails while the committed file differs from
 * what this generates, so the two cannot drift apart. Only the JDK is needed; from the
 * repository root:
 * {@code java local/src/test/java/dev/switchboard/local/deploy/PrometheusRuleGenerator.java}.
 */
public final class PrometheusRuleGenerator {

	/** Where the generated resource lives, relative to the repository root. */
	public static final String TARGET = "deploy/k8s/prometheus-rule.yaml";

	/** The rule files' directory, relative to the repository root. */
	public static final String RULES = "deploy/prometheus/rules";

	/** The command that regenerates the file, for the test's failure message. */
	public static final String COMMAND = "java local/src/test/java/dev/switchboard/local/deploy/PrometheusRuleGenerator.java";

	private static final Pattern GROUPS = Pattern.compile("^groups:\\s*(#.*)?$");

	private PrometheusRuleGenerator() {
	}

	/**
	 * Generates the {@code PrometheusRule} of the rule files under a repository root.
	 * @param root the repository root
	 * @return the resource's YAML
	 * @throws IOException if a rule file cannot be read
	 */
	public static String generate(Path root) throws IOException {
		StringBuilder yaml = new StringBuilder();
		yaml.append("# Generated from " + RULES + "/*.yml by PrometheusRuleGenerator: do not edit. After changing a\n")
			.append("# rule file, run from the repository root\n")
			.append("#   " + COMMAND + "\n")
			.append("# (KubernetesManifestTests fails while this file differs from what it generates).\n")
			.append("# Needs the Prometheus Operator's CRDs and a Prometheus whose ruleSelector selects it (with\n")
			.append("# kube-prometheus-stack, add its release label or set ruleSelectorNilUsesHelmValues=false).\n")
			.append("apiVersion: monitoring.coreos.com/v1\n")
			.append("kind: PrometheusRule\n")
			.append("metadata:\n")
			.append("  name: switchboard\n")
			.append("  labels:\n")
			.append("    app.kubernetes.io/part-of: switchboard\n")
			.append("spec:\n")
			.append("  groups:\n");
		for (Path file : ruleFiles(root)) {
			yaml.append("    # " + RULES + "/" + file.getFileName() + "\n");
			yaml.append(groups(file));
		}
		return yaml.toString();
	}

	/**
	 * The rule files, in name order.
	 * @param root the repository root
	 * @return the files
	 * @throws IOException if the directory cannot be listed
	 */
	public static List<Path> ruleFiles(Path root) throws IOException {
		try (Stream<Path> files = Files.list(root.resolve(RULES))) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".yml")).sorted().toList();
		}
	}

	/** The lines under a rule file's top-level {@code groups:}, two spaces deeper. */
	private static String groups(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		StringBuilder groups = new StringBuilder();
		boolean inGroups = false;
		for (String line : lines) {
			if (!inGroups) {
				inGroups = GROUPS.matcher(line).matches();
				if (!inGroups && !line.isBlank() && !line.startsWith("#")) {
					throw new IllegalStateException(file + ": a rule file holds only groups, found: " + line);
				}
				continue;
			}
			if (!line.isEmpty() && !line.startsWith(" ") && !line.startsWith("#")) {
				throw new IllegalStateException(file + ": a rule file holds only groups, found: " + line);
			}
			groups.append(line.isBlank() ? "" : "  " + line).append('\n');
		}
		if (!inGroups) {
			throw new IllegalStateException(file + " has no top-level groups:");
		}
		// One blank line between files, none at the end.
		return groups.toString().stripTrailing() + "\n";
	}

	/**
	 * Writes {@link #TARGET}.
	 * @param arguments the repository root, or none for the working directory
	 * @throws IOException if a file cannot be read or written
	 */
	public static void main(String[] arguments) throws IOException {
		Path root = Path.of((arguments.length > 0) ? arguments[0] : "").toAbsolutePath();
		Files.writeString(root.resolve(TARGET), generate(root), StandardCharsets.UTF_8);
		System.out.println("Wrote " + root.resolve(TARGET));
	}

}
