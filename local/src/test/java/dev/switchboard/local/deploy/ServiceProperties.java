package dev.switchboard.local.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * The properties a service's {@code application.yml} declares or reads through
 * placeholders, to check that an environment variable a deployment sets is one the
 * service binds (Spring's relaxed binding: {@code SWITCHBOARD_DB_HOST} binds
 * {@code switchboard.db.host}, {@code _0_} a list element).
 */
public final class ServiceProperties {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)");

	private static final Pattern INDEX = Pattern.compile("_\\d+_");

	private final Set<String> known = new LinkedHashSet<>();

	private final Set<String> lists = new LinkedHashSet<>();

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
		return properties;
	}

	/**
	 * Whether an environment variable names a Spring property at all (rather than, say,
	 * {@code JAVA_TOOL_OPTIONS}).
	 * @param variable the variable's name
	 * @return true for {@code SWITCHBOARD_*}, {@code SPRING_*} and {@code SERVER_*}
	 */
	public static boolean isProperty(String variable) {
		return variable.startsWith("SWITCHBOARD_") || variable.startsWith("SPRING_") || variable.startsWith("SERVER_");
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
		return this.known.stream().anyMatch((name) -> canonical(name).equals(wanted));
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
