package dev.switchboard.support.consumer;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * What every consumer binding of a Switchboard service needs for
 * {@link EventProcessor#processAll}: a poll's records as one batch, the payload handed
 * over as the bytes the producer wrote (with a JSON content type Spring Cloud Function
 * would try to convert the {@code byte[]} records, and drop those it cannot; with native
 * decoding it does not run its message converters at all: the binder's byte array
 * deserializer already gave the bytes, and the converters' header copies of every batch
 * were an eighth of the inbox's CPU), and the error handler that gives a failed batch
 * back to the container until it goes through. Set once here, at the lowest precedence,
 * instead of on every binding; a service can still override any of them per binding.
 */
public class ConsumerBindingDefaults implements EnvironmentPostProcessor {

	/** The bean name of the batch error handler every consumer binding uses. */
	public static final String BATCH_ERROR_HANDLER = "switchboardBatchErrorHandler";

	static final String NAME = "switchboardConsumerBindingDefaults";

	static final Map<String, Object> DEFAULTS = Map.of("spring.cloud.stream.default.content-type",
			"application/octet-stream", "spring.cloud.stream.default.consumer.batch-mode", "true",
			"spring.cloud.stream.default.consumer.use-native-decoding", "true",
			"spring.cloud.stream.kafka.default.consumer.common-error-handler-bean-name", BATCH_ERROR_HANDLER);

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new MapPropertySource(NAME, DEFAULTS));
	}

}
