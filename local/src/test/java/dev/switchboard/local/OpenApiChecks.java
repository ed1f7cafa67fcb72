package dev.switchboard.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * Checks an OpenAPI document with a real parser (swagger-parser, which validates the
 * structure and resolves every reference) and with the platform's own rules: unique
 * operation ids, a summary on every operation, every path parameter declared, and the
 * error responses every operation can give, as RFC 9457 problem details.
 */
final class OpenApiChecks {

	static final String PROBLEM_JSON = "application/problem+json";

	private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");

	private OpenApiChecks() {
	}

	/**
	 * What is wrong with a document.
	 * @param document the document as JSON
	 * @return the parser's messages and the broken rules, empty for a valid document
	 */
	static List<String> problems(String document) {
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
		List<String> problems = new ArrayList<>();
		if (result.getMessages() != null) {
			result.getMessages().forEach((message) -> problems.add("parser: " + message));
		}
		OpenAPI api = result.getOpenAPI();
		if (api == null || api.getPaths() == null || api.getPaths().isEmpty()) {
			problems.add("the document has no paths");
			return problems;
		}
		if (api.getComponents() == null || api.getComponents().getSecuritySchemes() == null
				|| !api.getComponents().getSecuritySchemes().keySet().containsAll(List.of("bearer", "apiKey"))) {
			problems.add("the security schemes bearer and apiKey are not declared");
		}
		Map<String, String> operationIds = new HashMap<>();
		api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			String name = method + " " + path;
			String id = operation.getOperationId();
			if (id == null || id.isBlank()) {
				problems.add(name + ": no operationId");
			}
			else if (operationIds.putIfAbsent(id, name) != null) {
				problems.add(name + ": operationId " + id + " is also " + operationIds.get(id) + "'s");
			}
			if (operation.getSummary() == null || operation.getSummary().isBlank()) {
				problems.add(name + ": no summary");
			}
			problems.addAll(pathParameterProblems(name, path, item, operation));
			problems.addAll(responseProblems(name, method, operation, isPublic(api, operation)));
		}));
		return problems;
	}

	/** An operation anyone may call: its security requirements are explicitly none. */
	private static boolean isPublic(OpenAPI api, Operation operation) {
		return operation.getSecurity() != null && operation.getSecurity().isEmpty()
				|| operation.getSecurity() == null && (api.getSecurity() == null || api.getSecurity().isEmpty());
	}

	private static List<String> pathParameterProblems(String name, String path, PathItem item, Operation operation) {
		Set<String> declared = new LinkedHashSet<>();
		List<Parameter> parameters = new ArrayList<>();
		if (item.getParameters() != null) {
			parameters.addAll(item.getParameters());
		}
		if (operation.getParameters() != null) {
			parameters.addAll(operation.getParameters());
		}
		List<String> problems = new ArrayList<>();
		for (Parameter parameter : parameters) {
			if ("path".equals(parameter.getIn())) {
				declared.add(parameter.getName());
				if (!Boolean.TRUE.equals(parameter.getRequired())) {
					problems.add(name + ": path parameter " + parameter.getName() + " is not required");
				}
			}
		}
		Set<String> inTemplate = new LinkedHashSet<>();
		Matcher matcher = TEMPLATE_PARAMETER.matcher(path);
		while (matcher.find()) {
			inTemplate.add(matcher.group(1));
		}
		if (!declared.equals(inTemplate)) {
			problems.add(name + ": path parameters declared " + declared + ", in the path " + inTemplate);
		}
		return problems;
	}

	private static List<String> responseProblems(String name, PathItem.HttpMethod method, Operation operation,
			boolean isPublic) {
		List<String> problems = new ArrayList<>();
		Map<String, ApiResponse> responses = (operation.getResponses() != null) ? operation.getResponses() : Map.of();
		if (responses.keySet().stream().noneMatch((status) -> status.startsWith("2") || status.startsWith("3"))) {
			problems.add(name + ": no success response");
		}
		Set<String> required = new LinkedHashSet<>();
		// Every call passes the gateway's rate limits.
		required.add("429");
		if (!isPublic) {
			required.add("401");
			required.add("403");
		}
		boolean hasInput = operation.getRequestBody() != null
				|| (operation.getParameters() != null && !operation.getParameters().isEmpty());
		if (hasInput) {
			required.add("400");
		}
		if (operation.getRequestBody() != null) {
			required.add("413");
		}
		if (operation.getParameters() != null
				&& operation.getParameters().stream().anyMatch((parameter) -> "path".equals(parameter.getIn()))) {
			required.add("404");
		}
		if (!isPublic && method != PathItem.HttpMethod.GET) {
			// An Idempotency-Key reused with another body, or still in flight.
			required.add("409");
		}
		for (String status : required) {
			if (!responses.containsKey(status)) {
				problems.add(name + ": documents no " + status);
			}
		}
		responses.forEach((status, response) -> {
			if (status.startsWith("4") || status.startsWith("5")) {
				MediaType problem = (response.getContent() != null) ? response.getContent().get(PROBLEM_JSON) : null;
				if (problem == null || problem.getSchema() == null) {
					problems.add(name + ": " + status + " is not documented as " + PROBLEM_JSON);
				}
			}
			if (response.getDescription() == null || response.getDescription().isBlank()) {
				problems.add(name + ": " + status + " has no description");
			}
		});
		return problems;
	}

}
