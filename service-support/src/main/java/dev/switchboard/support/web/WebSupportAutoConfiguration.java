package dev.switchboard.support.web;

import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/** Lets controllers of every service take the verified {@link Caller} as a parameter. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class WebSupportAutoConfiguration implements WebFluxConfigurer {

	static {
		// The caller comes from the gateway's identity token, not from a client's
		// parameter: not part of the API document.
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
	}

	@Bean
	ProblemDetailsErrorHandler problemDetailsErrorHandler(JsonMapper json) {
		return new ProblemDetailsErrorHandler(json);
	}

	/** The error responses of every operation in the service's OpenAPI document. */
	@Bean
	ProblemResponsesCustomizer problemResponsesCustomizer() {
		return new ProblemResponsesCustomizer();
	}

	@Override
	public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
		configurer.addCustomResolver(new CallerArgumentResolver());
	}

}
