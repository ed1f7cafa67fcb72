package dev.switchboard.support.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Documents the errors every operation of the platform can answer, once for every
 * service: the RFC 9457 {@code Problem} schema, and on each operation the 4xx responses
 * the gateway and the services give it, all as {@code application/problem+json}. An
 * operation's own {@code @ApiResponse} (its description) is kept; its content becomes the
 * problem detail too, since every error of the platform is one. Operations that declare
 * no security requirement ({@code @SecurityRequirements}) are public: they get no 401/403
 * unless they declare them.
 */
public class ProblemResponsesCustomizer implements OpenApiCustomizer {

	/** The media type of every error the platform answers. */
	public static final String PROBLEM_JSON = "application/problem+json";

	/** The name of the RFC 9457 problem detail schema in the documents' components. */
	public static final String PROBLEM_SCHEMA = "Problem";

	private static final String ANY = "*/*";

	private static final String JSON = "application/json";

	private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

	static {
		DESCRIPTIONS.put("400", "Bad request: a parameter or the body is invalid; the problem detail says which");
		DESCRIPTIONS.put("401",
				"No valid credentials: the bearer token or API key is missing, expired or not " + "the platform's");
		DESCRIPTIONS.put("403", "Forbidden: the caller's roles do not allow this operation");
		DESCRIPTIONS.put("404", "Not found: nothing by that id in the caller's tenant");
		DESCRIPTIONS.put("409", "Conflict: the resource's state does not allow it, or the Idempotency-Key was "
				+ "used for another request or is still in flight");
		DESCRIPTIONS.put("413", "Content too large: the body exceeds the gateway's limit (1 MB by default)");
		DESCRIPTIONS.put("429", "Too many requests: a rate limit of the gateway; retry after Retry-After seconds");
	}

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getComponents() == null) {
			openApi.setComponents(new Components());
		}
		openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths()
			.values()
			.forEach((item) -> item.readOperationsMap()
				.forEach((method, operation) -> document(item, method, operation)));
	}

	private static void document(PathItem item, PathItem.HttpMethod method, Operation operation) {
		if (operation.getResponses() == null) {
			operation.setResponses(new ApiResponses());
		}
		ApiResponses responses = operation.getResponses();
		boolean isPublic = operation.getSecurity() != null && operation.getSecurity().isEmpty();
		boolean hasBody = operation.getRequestBody() != null;
		boolean hasParameters = (operation.getParameters() != null && !operation.getParameters().isEmpty())
				|| (item.getParameters() != null && !item.getParameters().isEmpty());
		boolean hasPathParameters = operation.getParameters() != null
				&& operation.getParameters().stream().anyMatch((parameter) -> "path".equals(parameter.getIn()));
		if (hasBody || hasParameters) {
			add(responses, "400");
		}
		if (!isPublic) {
			add(responses, "401");
			add(responses, "403");
		}
		if (hasPathParameters) {
			add(responses, "404");
		}
		if (!isPublic && method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD) {
			add(responses, "409");
		}
		if (hasBody) {
			add(responses, "413");
		}
		add(responses, "429");
		responses.forEach((status, response) -> {
			Content content = response.getContent();
			if (status.startsWith("2") && content != null && content.size() == 1 && content.containsKey(ANY)) {
				// springdoc's default for a method that declares no produces: the API
				// answers JSON.
				response.setContent(new Content().addMediaType(JSON, content.get(ANY)));
			}
			if (status.startsWith("4") || status.startsWith("5")) {
				response.setContent(problemContent());
				if (response.getDescription() == null || response.getDescription().isBlank()) {
					response.setDescription(DESCRIPTIONS.getOrDefault(status, "Error " + status));
				}
			}
		});
	}

	private static void add(ApiResponses responses, String status) {
		if (!responses.containsKey(status)) {
			responses.addApiResponse(status, new ApiResponse().description(DESCRIPTIONS.get(status)));
		}
	}

	private static Content problemContent() {
		return new Content().addMediaType(PROBLEM_JSON,
				new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA)));
	}

	/** RFC 9457 section 3.1; further members (e.g. {@code reason}) are extensions. */
	private static Schema<?> problemSchema() {
		Schema<?> schema = typed("object")
			.description("An RFC 9457 problem detail; docs/problems.md lists the types and what to do about each")
			.addProperty("type",
					typed("string").format("uri")
						._default("about:blank")
						.description("What kind of problem; about:blank when the status says it all"))
			.addProperty("title", typed("string").description("A short summary of the problem type"))
			.addProperty("status", typed("integer").format("int32").description("The HTTP status"))
			.addProperty("detail", typed("string").description("What went wrong this time, and what to do"))
			.addProperty("instance", typed("string").format("uri-reference").description("The request's path"));
		schema.setAdditionalProperties(Boolean.TRUE);
		return schema;
	}

	/**
	 * A schema of a JSON type, for OpenAPI 3.0 ({@code type}) and 3.1 ({@code types})
	 * serialisation alike.
	 */
	private static Schema<Object> typed(String type) {
		Schema<Object> schema = new Schema<>();
		schema.setType(type);
		schema.addType(type);
		return schema;
	}

}
