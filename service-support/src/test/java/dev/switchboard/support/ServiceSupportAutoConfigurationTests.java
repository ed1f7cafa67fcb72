package dev.switchboard.support;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceSupportAutoConfigurationTests {

	@Test
	void whenACompressionIsConfiguredThenTheOutboxProducerCompressesWithIt() {
		KafkaTemplate<String, byte[]> template = new ServiceSupportAutoConfiguration()
			.outboxKafkaTemplate("localhost:9092", "none");

		assertThat(template.getProducerFactory().getConfigurationProperties())
			.containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none")
			.containsEntry(ProducerConfig.ACKS_CONFIG, "all")
			.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
	}

}
