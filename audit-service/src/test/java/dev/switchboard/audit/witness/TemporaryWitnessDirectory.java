package dev.switchboard.audit.witness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every application context of the audit service's tests a witness directory of its
 * own (a fresh temporary directory, deleted when the JVM exits), unless the test sets
 * one.
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
			Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory)));
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("temporaryWitnessDirectory", Map.of(PROPERTY, directory.toString())));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// Left in the temporary directory.
		}
	}

}
