package dev.switchboard.local.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of every service names its roles ({@code Caller.requireAny}), and
 * {@code docs/security.md} lists each one with exactly those roles. Read from the
 * controllers' source, so a new endpoint without roles, or one the document does not
 * list, fails the build.
 */
class SecurityDocumentationTests {

	private static final List<String> SERVICES = List.of("inbox-service", "routing-service", "audit-service",
			"billing-service");

	private static final List<String> ROLE_ORDER = List.of("OWNER", "ADMIN", "AGENT", "FINANCE", "OPERATOR", "SRE");

	private static final Pattern MAPPING = Pattern.compile("@(Get|Post|Put|Patch|Delete)Mapping(?:\\(([^)]*)\\))?");

	private static final Pattern CLASS_MAPPING = Pattern.compile("(?m)^@RequestMapping\\(([^)]*)\\)");

	private static final Pattern STRING_CONSTANT = Pattern.compile("static final String (\\w+) = \"([^\"]*)\"");

	private static final Pattern ROLE_ARRAY = Pattern.compile("static final Role\\[] (\\w+) = \\{([^}]*)}");

	private static final Pattern REQUIRE = Pattern.compile("requireAny\\(([^)]*)\\)");

	private static final Pattern HELPER_CALL = Pattern.compile("\\n\\t\\t(\\w+)\\(caller\\);");

	@Test
	void whenAServiceServesAnEndpointThenItNamesItsRolesAndTheSecurityDocumentListsThem() throws IOException {
		String document = Files.readString(Repository.root().resolve("docs/security.md"));
		List<String> rows = new ArrayList<>();
		for (String service : SERVICES) {
			try (Stream<Path> files = Files.walk(Repository.root().resolve(service).resolve("src/main/java"))) {
				for (Path file : files.filter((path) -> path.toString().endsWith("Controller.java"))
					.sorted()
					.toList()) {
					rows.addAll(endpoints(Files.readString(file), file.getFileName().toString()));
				}
			}
		}
		assertThat(rows).hasSizeGreaterThan(80);
		assertThat(rows).allSatisfy((row) -> assertThat(document).as("docs/security.md lists " + row).contains(row));
	}

	private static List<String> endpoints(String source, String file) {
		if (!source.contains("@RestController")) {
			return List.of();
		}
		Map<String, String> constants = new HashMap<>();
		Matcher constant = STRING_CONSTANT.matcher(source);
		while (constant.find()) {
			constants.put(constant.group(1), constant.group(2));
		}
		Map<String, String> arrays = new HashMap<>();
		Matcher array = ROLE_ARRAY.matcher(source);
		while (array.find()) {
			arrays.put(array.group(1), array.group(2));
		}
		Matcher classMapping = CLASS_MAPPING.matcher(source);
		String base = classMapping.find() ? path(classMapping.group(1), constants) : "";
		List<String> rows = new ArrayList<>();
		Matcher mapping = MAPPING.matcher(source);
		List<int[]> spans = new ArrayList<>();
		List<String> heads = new ArrayList<>();
		while (mapping.find()) {
			spans.add(new int[] { mapping.start(), mapping.end() });
			heads.add(mapping.group(1).toUpperCase() + " " + base
					+ ((mapping.group(2) != null) ? path(mapping.group(2), constants) : ""));
		}
		for (int i = 0; i < spans.size(); i++) {
			int end = (i + 1 < spans.size()) ? spans.get(i + 1)[0] : source.length();
			String body = source.substring(spans.get(i)[1], end);
			String roles = roles(body, source, arrays);
			assertThat(roles).as(file + ": " + heads.get(i) + " names no roles").isNotEmpty();
			String[] head = heads.get(i).split(" ", 2);
			rows.add("| " + head[0] + " | `" + head[1] + "` | " + roles + " |");
		}
		return rows;
	}

	private static String roles(String body, String source, Map<String, String> arrays) {
		Matcher require = REQUIRE.matcher(body);
		String named;
		if (require.find()) {
			named = require.group(1);
		}
		else {
			Matcher helper = HELPER_CALL.matcher(body);
			if (!helper.find()) {
				return "";
			}
			Matcher helperBody = Pattern
				.compile("void " + helper.group(1) + "\\(Caller caller\\) \\{\\s*caller\\.requireAny\\(([^)]*)\\)")
				.matcher(source);
			if (!helperBody.find()) {
				return "";
			}
			named = helperBody.group(1);
		}
		String expanded = arrays.getOrDefault(named.trim(), named);
		return String.join(", ",
				Stream.of(expanded.split(","))
					.map((role) -> role.trim().replace("Role.", ""))
					.filter((role) -> !role.isEmpty())
					.sorted(Comparator.comparingInt(ROLE_ORDER::indexOf))
					.toList());
	}

	private static String path(String expression, Map<String, String> constants) {
		StringBuilder path = new StringBuilder();
		String first = expression.split(",")[0].trim();
		if (first.startsWith("path =") || first.startsWith("value =")) {
			first = first.substring(first.indexOf('=') + 1).trim();
		}
		if (first.startsWith("produces") || first.startsWith("consumes")) {
			return "";
		}
		for (String part : first.split("\\+")) {
			String piece = part.trim();
			if (piece.startsWith("\"")) {
				path.append(piece, 1, piece.length() - 1);
			}
			else {
				path.append(constants.getOrDefault(piece, "{" + piece + "}"));
			}
		}
		return path.toString();
	}

}
