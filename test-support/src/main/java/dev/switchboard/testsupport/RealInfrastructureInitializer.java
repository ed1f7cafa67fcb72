package dev.switchboard.testsupport;

import java.util.HashMap;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring application context at the shared {@link RealInfrastructure}.
 */
public class RealInfrastructureInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		Infrastructure infrastructure = RealInfrastructure.get();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("switchboardRealInfrastructure",
					new HashMap<>(infrastructure.springProperties())));
	}

}
