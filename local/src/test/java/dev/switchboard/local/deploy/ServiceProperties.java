package dev.switchboard.local.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

/**
 * The properties a service's {@code application.yml} declares or reads through
 * placeholders, and those of the {@code @ConfigurationProperties} records in its sources
 * and service-support's, to check that an environment variable a deployment sets is one
 * the service binds (Spring's relaxed binding: {@code SWITCHBOARD_DB_HOST} binds
 * {@code switchboard.db.host}, {@code _0_} a list element).
 */
public final class ServiceProperties {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)");

	private static final Pattern INDEX = Pattern.compile("_\\d+_");

	private static final Pattern PROPERTIES_RECORD = Pattern
		.compile("@ConfigurationProperties\\((?:prefix\\s*=\\s*)?\"([^\"]+)\"\\)[^{]*?record\\s+\\w+\\s*\\(");

	private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\([^)]*\\))?");

	/**
	 * Settings that the deployments set for the parts of issue 22 built beside this one
	 * (keys at rest, the gateway's identity tokens, sign-in): the services read them once
	 * those parts are merged.
	 */
	private static final Set<String> AWAITED = Set.of("SWITCHBOARD_MASTER_KEY", "SWITCHBOARD_IDENTITY_SIGNING_KEY",
			"SWITCHBOARD_IDENTITY_JWK_SET_URI", "SWITCHBOARD_SECURITY_JWT_ISSUER_URI");

	private final Set<String> known = new LinkedHashSet<>();

	private final Set<String> lists = new LinkedHashSet<>();

	private final Set<String> records = new LinkedHashSet<>();

	private ServiceProperties() {
	}

	/**
	 * Reads a service's configuration.
	 * @param applicationYml the service's {@code application.yml}
	 * @return its properties
	 * @throws IOException if it cannot be read
	 */
	public static ServiceProperties of(Path applicationYml) throws IOException {
		ServiceProperties properties = new ServiceProperties();
		try (Reader reader = Files.newBufferedReader(applicationYml)) {
			for (Object document : new Yaml().loadAll(reader)) {
				properties.flatten("", document);
			}
		}
		Path module = applicationYml.getParent().getParent().getParent().getParent();
		for (Path sources : List.of(module.resolve("src/main/java"),
				module.resolveSibling("service-support").resolve("src/main/java"))) {
			if (Files.isDirectory(sources)) {
				try (Stream<Path> files = Files.walk(sources)) {
					for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
						properties.readRecords(Files.readString(file));
					}
				}
			}
		}
		return properties;
	}

	/**
	 * Whether an environment variable names a Spring property at all (rather than, say,
	 * {@code JAVA_TOOL_OPTIONS}).
	 * @param variable the variable's name
	 * @return true for {@code SWITCHBOARD_*}, {@code SPRING_*}, {@code SERVER_*} and
	 * {@code MANAGEMENT_*}
	 */
	public static boolean isProperty(String variable) {
		return variable.startsWith("SWITCHBOARD_") || variable.startsWith("SPRING_") || variable.startsWith("SERVER_")
				|| variable.startsWith("MANAGEMENT_");
	}

	/**
	 * Whether the service binds an environment variable.
	 * @param variable the variable's name
	 * @return true if it names a property or list the configuration has
	 */
	public boolean binds(String variable) {
		Matcher index = INDEX.matcher(variable);
		if (index.find()) {
			String list = canonical(variable.substring(0, index.start()));
			return this.lists.stream().anyMatch((name) -> canonical(name).equals(list));
		}
		String wanted = canonical(variable);
		return AWAITED.contains(variable) || this.known.stream().anyMatch((name) -> canonical(name).equals(wanted))
				|| this.records.stream().anyMatch((name) -> wanted.startsWith(canonical(name)));
	}

	/** Each component of a properties record, under the record's prefix. */
	private void readRecords(String source) {
		Matcher record = PROPERTIES_RECORD.matcher(source);
		while (record.find()) {
			int depth = 1;
			int start = record.end();
			int at = start;
			List<String> components = new ArrayList<>();
			while (depth > 0 && at < source.length()) {
				char c = source.charAt(at);
				if (c == '(' || c == '<') {
					depth++;
				}
				else if (c == ')' || c == '>') {
					depth--;
				}
				if ((c == ',' && depth == 1) || depth == 0) {
					components.add(source.substring(start, at));
					start = at + 1;
				}
				at++;
			}
			for (String component : components) {
				String[] words = ANNOTATION.matcher(component).replaceAll(" ").trim().split("\\s+");
				if (!words[words.length - 1].isEmpty()) {
					this.records.add(record.group(1) + "." + words[words.length - 1]);
				}
			}
		}
	}

	private void flatten(String prefix, Object node) {
		if (node instanceof java.util.Map<?, ?> map) {
			map.forEach((key, value) -> {
				String name = prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key;
				this.known.add(name);
				flatten(name, value);
			});
		}
		else if (node instanceof java.util.List<?> list) {
			this.lists.add(prefix);
			list.forEach((item) -> flatten(prefix, item));
		}
		else if (node != null) {
			Matcher placeholder = PLACEHOLDER.matcher(node.toString());
			while (placeholder.find()) {
				this.known.add(placeholder.group(1));
			}
		}
	}

	private static String canonical(String name) {
		return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
	}

}
