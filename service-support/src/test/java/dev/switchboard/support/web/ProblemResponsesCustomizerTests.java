package dev.switchboard.support.web;

import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemResponsesCustomizerTests {

	private final ProblemResponsesCustomizer customizer = new ProblemResponsesCustomizer();

	@Test
	void whenAnOperationTakesAnIdAndABodyThenEveryErrorItCanGiveIsDocumentedAsAProblem() {
		Operation update = new Operation().addParametersItem(new Parameter().in("path").name("id"))
			.requestBody(new RequestBody())
			.responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("OK")
				.content(new Content().addMediaType("*/*", new MediaType().schema(new Schema<>())))));
		OpenAPI api = document("/api/v1/labels/{id}", new PathItem().put(update));

		this.customizer.customise(api);

		assertThat(update.getResponses()).containsOnlyKeys("200", "400", "401", "403", "404", "409", "413", "429");
		assertThat(update.getResponses().get("200").getContent()).containsOnlyKeys("application/json");
		assertThat(update.getResponses()
			.values()
			.stream()
			.filter((response) -> response != update.getResponses().get("200"))).allSatisfy((response) -> {
				assertThat(response.getDescription()).isNotBlank();
				assertThat(response.getContent()).containsOnlyKeys(ProblemResponsesCustomizer.PROBLEM_JSON);
				assertThat(response.getContent().get(ProblemResponsesCustomizer.PROBLEM_JSON).getSchema().get$ref())
					.isEqualTo("#/components/schemas/Problem");
			});
		assertThat(api.getComponents().getSchemas().get("Problem").getProperties()).containsOnlyKeys("type", "title",
				"status", "detail", "instance");
	}

	@Test
	void whenAnOperationIsPublicThenItGetsNoAuthenticationErrorsButKeepsItsOwn() {
		Operation receive = new Operation().security(List.of())
			.requestBody(new RequestBody())
			.responses(new ApiResponses().addApiResponse("401", new ApiResponse().description("Bad signature")));
		Operation read = new Operation();
		OpenAPI api = document("/webhooks/whatsapp", new PathItem().post(receive).get(read));

		this.customizer.customise(api);

		assertThat(receive.getResponses()).containsOnlyKeys("400", "401", "413", "429");
		assertThat(receive.getResponses().get("401").getDescription()).isEqualTo("Bad signature");
		assertThat(receive.getResponses().get("401").getContent())
			.containsOnlyKeys(ProblemResponsesCustomizer.PROBLEM_JSON);
		assertThat(read.getResponses()).containsOnlyKeys("401", "403", "429");
	}

	private static OpenAPI document(String path, PathItem item) {
		return new OpenAPI().paths(new Paths().addPathItem(path, item));
	}

}
