package dev.switchboard.local.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every problem {@code type} the services answer with is listed in
 * {@code docs/problems.md} with each status it comes with. Read from the source: the
 * types are built only by {@code ProblemTypes.of}, either with a literal name or inside
 * one of the refusal factories below, whose callers pass the name as a literal; a new way
 * of naming a type fails here until this test reads it.
 */
class ProblemDocumentationTests {

	private static final List<String> MODULES = List.of("gateway-service", "inbox-service", "routing-service",
			"audit-service", "billing-service", "service-support");

	/** The factories that take a type name as a parameter, by file. */
	private static final Map<String, Pattern> FACTORIES = Map.of("Refusals.java",
			Pattern.compile("\\brefuse\\(\\s*HttpStatus\\.(\\w+),\\s*\"([^\"]+)\""), "SendRefused.java",
			Pattern.compile("\\brefused\\(\\s*HttpStatus\\.(\\w+),\\s*\"([^\"]+)\""), "SubscriptionRejected.java",
			Pattern.compile("\\bnew SubscriptionRejected\\(\\s*(?:HttpStatus\\.(\\w+),\\s*)?\"([^\"]+)\""));

	private static final Pattern LITERAL_TYPE = Pattern
		.compile("ProblemTypes\\.of\\(\"([^\"]+)\"\\)[\\s\\S]{0,300}?HttpStatus\\.(\\w+)");

	private static final Pattern ANY_TYPE = Pattern.compile("ProblemTypes\\.of\\(([^)]*)\\)");

	@Test
	void whenTheCodeNamesAProblemTypeThenDocsProblemsListsItWithItsStatus() throws IOException {
		Map<String, Set<Integer>> types = typesInCode();
		assertThat(types).as("problem types found in the code").hasSizeGreaterThan(30);
		List<String> lines = Files.readAllLines(Repository.root().resolve("docs/problems.md"));
		for (Map.Entry<String, Set<Integer>> type : types.entrySet()) {
			String row = lines.stream()
				.filter((line) -> line.startsWith("| `" + type.getKey() + "` |"))
				.findFirst()
				.orElse("");
			assertThat(row).as("docs/problems.md has a row for " + type.getKey()).isNotEmpty();
			String statuses = row.split("\\|")[2];
			for (int status : type.getValue()) {
				assertThat(statuses).as(type.getKey() + "'s statuses").contains(Integer.toString(status));
			}
		}
	}

	private static Map<String, Set<Integer>> typesInCode() throws IOException {
		Map<String, Set<Integer>> types = new TreeMap<>();
		List<Path> sources = new ArrayList<>();
		for (String module : MODULES) {
			try (Stream<Path> files = Files.walk(Repository.root().resolve(module).resolve("src/main/java"))) {
				files.filter((path) -> path.toString().endsWith(".java")).sorted().forEach(sources::add);
			}
		}
		Set<String> factoryFiles = new TreeSet<>();
		for (Path file : sources) {
			String source = Files.readString(file);
			String name = file.getFileName().toString();
			if (name.equals("ProblemTypes.java")) {
				continue;
			}
			assertThat(source).as(name + " names no problem type but through ProblemTypes.of")
				.doesNotContain("switchboard.dev/problems");
			if (source.contains("ProblemDetail")) {
				assertThat(source).as(name + " sets problem types with ProblemTypes.of")
					.doesNotContainPattern("setType\\((?!ProblemTypes\\.of\\()");
			}
			Matcher any = ANY_TYPE.matcher(source);
			while (any.find()) {
				if (!any.group(1).startsWith("\"")) {
					assertThat(FACTORIES)
						.as(name + " names problem types from a parameter: teach this test its callers")
						.containsKey(name);
					factoryFiles.add(name);
				}
			}
			Matcher literal = LITERAL_TYPE.matcher(source);
			while (literal.find()) {
				add(types, literal.group(1), literal.group(2));
			}
		}
		assertThat(factoryFiles).as("the factories this test reads")
			.containsExactlyInAnyOrderElementsOf(FACTORIES.keySet());
		for (Path file : sources) {
			String source = Files.readString(file);
			for (Pattern call : FACTORIES.values()) {
				Matcher matcher = call.matcher(source);
				while (matcher.find()) {
					add(types, matcher.group(2), (matcher.group(1) != null) ? matcher.group(1) : "BAD_REQUEST");
				}
			}
		}
		return types;
	}

	private static void add(Map<String, Set<Integer>> types, String name, String status) {
		types.computeIfAbsent(name, (key) -> new TreeSet<>()).add(switch (status) {
			case "BAD_REQUEST" -> 400;
			case "UNAUTHORIZED" -> 401;
			case "FORBIDDEN" -> 403;
			case "NOT_FOUND" -> 404;
			case "CONFLICT" -> 409;
			case "CONTENT_TOO_LARGE" -> 413;
			case "UNPROCESSABLE_CONTENT" -> 422;
			case "TOO_MANY_REQUESTS" -> 429;
			case "SERVICE_UNAVAILABLE" -> 503;
			default -> throw new AssertionError("A problem type with status " + status + ": add it here");
		});
	}

}
