package dev.switchboard.audit.witness;

import java.net.URI;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The configured {@link CheckpointWitness}; the service does not start without a choice.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WitnessProperties.class)
class WitnessConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(WitnessConfiguration.class);

	@Bean
	CheckpointWitness checkpointWitness(WitnessProperties properties) {
		if (!SignedNote.isValidName(properties.origin()) || properties.origin().endsWith("/")) {
			throw new IllegalStateException(
					"switchboard.audit.witness.origin must be non-empty, without spaces, '+' or a trailing '/': "
							+ properties.origin());
		}
		return switch (properties.resolvedType()) {
			case DIRECTORY -> {
				if (!WitnessProperties.hasText(properties.directory())) {
					throw new IllegalStateException(
							"switchboard.audit.witness.type is directory: set switchboard.audit.witness.directory");
				}
				yield new DirectoryWitness(Path.of(properties.directory().strip()));
			}
			case HTTP -> {
				if (!WitnessProperties.hasText(properties.url())) {
					throw new IllegalStateException(
							"switchboard.audit.witness.type is http: set switchboard.audit.witness.url");
				}
				yield new HttpWitness(URI.create(properties.url().strip()), properties.timeout());
			}
			case NONE -> {
				logger.warn("switchboard.audit.witness.type is none: the audit log's checkpoints are kept nowhere but "
						+ "in its own database, so deleting its tail together with its tree heads goes unnoticed");
				yield CheckpointWitness.NONE;
			}
		};
	}

}
