package dev.switchboard.gateway.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.EventCodec;

@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

	@Bean
	WebhookParser webhookParser(JsonMapper json) {
		return new WebhookParser(json);
	}

	/**
	 * The webhook producer: idempotent, {@code acks=all}, not observed per record (the
	 * publisher carries the request's trace context and times the acknowledgement).
	 */
	@Bean
	KafkaTemplate<String, byte[]> webhookKafkaTemplate(
			@Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers,
			@Value("${switchboard.gateway.publish-timeout:10s}") Duration timeout) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() / 2,
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
	}

	@Bean
	WebhookPublisher webhookPublisher(KafkaTemplate<String, byte[]> webhookKafkaTemplate,
			@Value("${switchboard.gateway.publish-timeout:10s}") Duration timeout, MeterRegistry meters) {
		return new WebhookPublisher(webhookKafkaTemplate, new EventCodec(), Clock.systemUTC(), timeout, meters);
	}

}
