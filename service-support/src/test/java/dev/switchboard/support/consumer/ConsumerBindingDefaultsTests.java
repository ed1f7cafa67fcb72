package dev.switchboard.support.consumer;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumerBindingDefaultsTests {

	@Test
	void whenAServiceSetsNothingThenEveryBindingConsumesRawBatchesWithTheBatchErrorHandler() {
		StandardEnvironment environment = new StandardEnvironment();

		new ConsumerBindingDefaults().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.cloud.stream.default.content-type"))
			.isEqualTo("application/octet-stream");
		assertThat(environment.getProperty("spring.cloud.stream.default.consumer.batch-mode", Boolean.class)).isTrue();
		assertThat(environment.getProperty("spring.cloud.stream.default.consumer.use-native-decoding", Boolean.class))
			.isTrue();
		assertThat(environment.getProperty("spring.cloud.stream.kafka.default.consumer.common-error-handler-bean-name"))
			.isEqualTo(ConsumerBindingDefaults.BATCH_ERROR_HANDLER);
	}

	@Test
	void whenAServiceSetsADefaultItselfThenItsValueWins() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application.yml",
					Map.of("spring.cloud.stream.default.consumer.batch-mode", "false")));

		new ConsumerBindingDefaults().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.cloud.stream.default.consumer.batch-mode", Boolean.class)).isFalse();
	}

}
