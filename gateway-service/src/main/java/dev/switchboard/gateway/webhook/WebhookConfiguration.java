package dev.switchboard.gateway.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.EventCodec;
import dev.switchboard.support.ServiceSupportAutoConfiguration;

@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

	@Bean
	WebhookParser webhookParser(JsonMapper json) {
		return new WebhookParser(json, Clock.systemUTC());
	}

	/**
	 * The webhook producer: idempotent, {@code acks=all}, not observed per record (the
	 * publisher carries the request's trace context and times the acknowledgement). Every
	 * record is acknowledged or failed within the publish timeout
	 * ({@code delivery.timeout.ms}); {@code send} never holds an event loop longer than
	 * {@code max.block.ms} waiting for metadata or buffer space. Records linger up to 5
	 * ms so that concurrent webhooks share a produce request; batches are compressed as
	 * {@code switchboard.kafka.compression} says, as the outbox relays' are.
	 */
	@Bean
	Producer<String, byte[]> webhookProducer(
			@Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers,
			@Value("${switchboard.gateway.publish-timeout:10s}") Duration timeout,
			@Value(ServiceSupportAutoConfiguration.COMPRESSION) String compression) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.CLIENT_ID_CONFIG, "gateway-webhooks", ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
				ProducerConfig.COMPRESSION_TYPE_CONFIG, compression, ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() / 2);
		return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
	}

	@Bean
	WebhookNotices webhookNotices(DatabaseClient database, MeterRegistry meters) {
		return new WebhookNotices(database, Clock.systemUTC(), meters);
	}

	@Bean
	WebhookPublisher webhookPublisher(Producer<String, byte[]> webhookProducer, MeterRegistry meters) {
		return new WebhookPublisher(webhookProducer, new EventCodec(), Clock.systemUTC(), meters);
	}

}
