package dev.switchboard.support.secrets;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SecretsAutoConfiguration.class));

	@Test
	void whenAServiceStoresSecretsWithoutAMasterKeyThenItRefusesToStartNamingTheVariable() {
		this.runner.withUserConfiguration(StoresSecrets.class).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause()
				.isInstanceOf(MissingSecretException.class)
				.hasMessageContaining("SWITCHBOARD_MASTER_KEY");
			FailureAnalysis analysis = new MissingSecretFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getAction()).contains("openssl rand -base64 32");
		});
	}

	@Test
	void whenAMasterKeyIsSetThenSecretsAreAvailable() {
		this.runner.withUserConfiguration(StoresSecrets.class)
			.withPropertyValues("switchboard.secrets.master-key=" + MasterKey.generate())
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(Secrets.class).hasSingleBean(MasterKey.class);
				Secrets secrets = context.getBean(Secrets.class);
				SecretContext row = new SecretContext("test", "t", "1");
				assertThat(secrets.openString(secrets.seal("s", row), row)).isEqualTo("s");
			});
	}

	@Test
	void whenTheLocalProfileHasNoMasterKeyThenOneIsGeneratedForTheRun() {
		this.runner.withUserConfiguration(StoresSecrets.class)
			.withPropertyValues("spring.profiles.active=local")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(Secrets.class));
	}

	@Test
	void whenAServiceStoresNoSecretsThenItNeedsNoMasterKey() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Secrets.class));
	}

	@Test
	void whenADeploymentDeclaresAKeyEncryptionKeyThenItReplacesTheMasterKey() {
		String key = MasterKey.generate();
		this.runner.withUserConfiguration(StoresSecrets.class)
			.withBean(KeyEncryptionKey.class, () -> MasterKey.of(key, List.of()))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(Secrets.class)
				.getBean(KeyEncryptionKey.class)
				.extracting(KeyEncryptionKey::primaryId)
				.isEqualTo(MasterKey.of(key, List.of()).primaryId()));
	}

	@Configuration(proxyBeanMethods = false)
	static class StoresSecrets {

		@Bean
		SealedColumn sealedColumn() {
			return new SealedColumn("thing", "secret_sealed", "tenant_id", "id", "test");
		}

	}

}
