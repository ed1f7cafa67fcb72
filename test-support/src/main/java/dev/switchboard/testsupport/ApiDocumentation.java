package dev.switchboard.testsupport;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Compares an application's public routes with its OpenAPI document. */
public final class ApiDocumentation {

	private ApiDocumentation() {
	}

	/**
	 * The public routes ({@code /api/**}, {@code /webhooks/**}) a running application
	 * serves.
	 * @param context the application
	 * @return the path patterns, as OpenAPI writes them
	 */
	public static Set<String> publicRoutes(ApplicationContext context) {
		Set<String> routes = new TreeSet<>();
		for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class)
			.values()) {
			for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
				for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
					String path = pattern.getPatternString();
					if (path.startsWith("/api/") || path.startsWith("/webhooks/")) {
						routes.add(path);
					}
				}
			}
		}
		return routes;
	}

	/**
	 * The paths of an OpenAPI document.
	 * @param document the document
	 * @return its paths
	 */
	public static Set<String> paths(JsonNode document) {
		return document.path("paths").propertyNames().stream().collect(Collectors.toCollection(TreeSet::new));
	}

	/**
	 * Public routes missing from the document.
	 * @param context the application
	 * @param document its OpenAPI document
	 * @return the undocumented routes (empty when all are documented)
	 */
	public static Set<String> undocumented(ApplicationContext context, JsonNode document) {
		Set<String> missing = publicRoutes(context);
		missing.removeAll(paths(document));
		return missing;
	}

	/**
	 * Fetches a running application's OpenAPI document ({@code /v3/api-docs}) and checks
	 * it: the application serves public routes, every one is documented, and no operation
	 * takes the resolved caller as a parameter.
	 * @param http a client of the application
	 * @param context the application
	 * @return the public routes, for further checks
	 * @throws AssertionError if a check fails
	 */
	public static Set<String> assertEveryPublicRouteDocumented(WebTestClient http, ApplicationContext context) {
		// Generating the document takes long on a loaded 2-core machine.
		String document = http.mutate()
			.responseTimeout(Duration.ofSeconds(60))
			.build()
			.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		if (document == null) {
			throw new AssertionError("/v3/api-docs answered no document");
		}
		Set<String> routes = publicRoutes(context);
		if (routes.isEmpty()) {
			throw new AssertionError("The application serves no public route");
		}
		Set<String> missing = undocumented(context, JsonMapper.builder().build().readTree(document));
		if (!missing.isEmpty()) {
			throw new AssertionError("Public routes missing from /v3/api-docs: " + missing);
		}
		if (document.contains("\"caller\"")) {
			throw new AssertionError("An operation documents the resolved caller as a parameter");
		}
		return routes;
	}

}
