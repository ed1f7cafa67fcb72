package dev.switchboard.local.deploy;

import java.io.IOException;
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

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PromQL queries of the provisioned Grafana dashboards, and the metric names each one
 * reads.
 */
final class DashboardQueries {

	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"bool", "and", "or", "unless", "offset", "inf", "nan");

	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");

	private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");

	private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

	private DashboardQueries() {
	}

	/**
	 * Every query of every panel of every dashboard under
	 * {@code deploy/grafana/dashboards}.
	 * @param dashboards the directory
	 * @return the queries in file and panel order
	 * @throws IOException if a dashboard cannot be read
	 */
	static List<Query> read(Path dashboards) throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		List<Query> queries = new ArrayList<>();
		try (Stream<Path> files = Files.list(dashboards)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".json")).sorted().toList()) {
				JsonNode dashboard = json.readTree(file.toFile());
				collect(file.getFileName().toString(), dashboard.path("panels"), queries);
			}
		}
		return queries;
	}

	private static void collect(String dashboard, JsonNode panels, List<Query> queries) {
		for (JsonNode panel : panels) {
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString("");
				if (!expr.isBlank()) {
					queries.add(new Query(dashboard, panel.path("title").asString(""), expr));
				}
			}
			collect(dashboard, panel.path("panels"), queries);
		}
	}

	/**
	 * The metric names a PromQL expression selects: identifiers that are not functions,
	 * aggregations, keywords, label names or literals.
	 * @param expr the expression
	 * @return the metric names in order of appearance
	 */
	static Set<String> metricNames(String expr) {
		String text = STRING.matcher(expr).replaceAll(" ");
		text = MATCHERS.matcher(text).replaceAll(" ");
		text = RANGE.matcher(text).replaceAll(" ");
		text = GROUPING.matcher(text).replaceAll(" ");
		Set<String> names = new LinkedHashSet<>();
		Matcher identifier = IDENTIFIER.matcher(text);
		while (identifier.find()) {
			String name = identifier.group(1);
			if (!KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith("$")) {
				names.add(name);
			}
		}
		return names;
	}

	/**
	 * One query of one panel.
	 *
	 * @param dashboard the dashboard's file name
	 * @param panel the panel's title
	 * @param expr the PromQL
	 */
	record Query(String dashboard, String panel, String expr) {

		Set<String> metricNames() {
			return DashboardQueries.metricNames(this.expr);
		}

	}

}
