package dev.switchboard.support.secrets;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Secrets at rest for a service that stores them, i.e. declares a {@link SealedColumn}:
 * the key-encryption key (the {@link MasterKey} unless the service or deployment declares
 * another {@link KeyEncryptionKey}), {@link Secrets} and the {@link MasterKeyRewrap}.
 * Without a master key such a service does not start, except under the {@code local}
 * profile, where a key for this run is generated.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
		"org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBean(SealedColumn.class)
@EnableConfigurationProperties(SecretsProperties.class)
public class SecretsAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecretsAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(KeyEncryptionKey.class)
	MasterKey masterKey(SecretsProperties properties, Environment environment) {
		String key = properties.masterKey();
		if (key == null || key.isBlank()) {
			if (!environment.matchesProfiles("local")) {
				throw new MissingSecretException("SWITCHBOARD_MASTER_KEY",
						"No master key: SWITCHBOARD_MASTER_KEY (switchboard.secrets.master-key) is not set. "
								+ "This service stores secrets encrypted under it and does not start without it.",
						"Set SWITCHBOARD_MASTER_KEY to 32 random bytes in base64 from your secret store; make one "
								+ "with `openssl rand -base64 32`. Keep it: what it encrypted cannot be read without "
								+ "it. ./start-local sets one for you.");
			}
			logger.warn("No SWITCHBOARD_MASTER_KEY under the local profile: secrets stored in this run are encrypted "
					+ "under a key generated for it and cannot be read after a restart");
			key = MasterKey.generate();
		}
		return MasterKey.of(key, properties.previousMasterKeys());
	}

	@Bean
	@ConditionalOnMissingBean
	Secrets secrets(KeyEncryptionKey keyEncryptionKey, ObjectProvider<MeterRegistry> meters) {
		return new Secrets(keyEncryptionKey, meters.getIfAvailable(() -> Metrics.globalRegistry));
	}

	@Bean
	@ConditionalOnBean(DatabaseClient.class)
	@ConditionalOnMissingBean
	MasterKeyRewrap masterKeyRewrap(Secrets secrets, DatabaseClient database, List<SealedColumn> columns,
			SecretsProperties properties, ObjectProvider<MeterRegistry> meters) {
		return new MasterKeyRewrap(secrets, database, columns, properties,
				meters.getIfAvailable(() -> Metrics.globalRegistry));
	}

}
