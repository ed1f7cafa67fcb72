package dev.switchboard.identity;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityProviderApplicationTests {

	@Test
	void whenNoPasswordIsConfiguredThenStartupFailsNamingTheVariable() {
		assertThatThrownBy(
				() -> new SpringApplicationBuilder(IdentityProviderApplication.class).web(WebApplicationType.NONE)
					.properties("switchboard.identity.client-secret=s")
					.run()
					.close())
			.hasStackTraceContaining("SWITCHBOARD_IDENTITY_PASSWORD");
	}

	@Test
	void whenNoClientSecretIsConfiguredThenStartupFailsNamingTheVariable() {
		assertThatThrownBy(
				() -> new SpringApplicationBuilder(IdentityProviderApplication.class).web(WebApplicationType.NONE)
					.properties("switchboard.identity.password=p")
					.run()
					.close())
			.hasStackTraceContaining("SWITCHBOARD_IDENTITY_CLIENT_SECRET");
	}

}
