package dev.switchboard.testsupport;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import tools.jackson.databind.JsonNode;

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

}
