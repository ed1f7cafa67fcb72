package dev.switchboard.testsupport;

import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring application context at the shared {@link RealInfrastructure}, and lets
 * it verify (a service) or sign (the gateway) internal identity tokens with the fixed
 * test key of {@link TestIdentity}.
 */
public class RealInfrastructureInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		Infrastructure infrastructure = RealInfrastructure.get();
		Map<String, Object> properties = new HashMap<>(infrastructure.springProperties());
		properties.put("switchboard.identity.jwks", TestIdentity.jwks());
		properties.put("switchboard.identity.signing-key", TestIdentity.SIGNING_KEY);
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("switchboardRealInfrastructure", properties));
	}

}
