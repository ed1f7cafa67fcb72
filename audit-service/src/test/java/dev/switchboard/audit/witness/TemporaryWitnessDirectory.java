package dev.switchboard.audit.witness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every application context of the audit service's tests a witness directory of its
 * own (a fresh temporary directory), unless the test sets one.
 */
public class TemporaryWitnessDirectory implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	public static final String PROPERTY = "switchboard.audit.witness.directory";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		String configured = context.getEnvironment().getProperty(PROPERTY);
		if (configured != null && !configured.isBlank()) {
			return;
		}
		try {
			Path directory = Files.createTempDirectory("switchboard-audit-witness-");
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("temporaryWitnessDirectory", Map.of(PROPERTY, directory.toString())));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
