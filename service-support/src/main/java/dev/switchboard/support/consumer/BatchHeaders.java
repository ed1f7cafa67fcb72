package dev.switchboard.support.consumer;

import org.springframework.cloud.stream.config.ConsumerEndpointCustomizer;
import org.springframework.integration.kafka.inbound.KafkaMessageDrivenChannelAdapter;
import org.springframework.kafka.support.KafkaHeaderMapper;
import org.springframework.kafka.support.converter.BatchMessagingMessageConverter;

/**
 * Gives every consumer binding's batch listener the binder's header mapper
 * ({@link RawHeaderMapper}). The Kafka binder hands its header mapper only to the record
 * listener's converter; a batch listener keeps its own converter, whose header mapper is
 * Spring Kafka's JSON one: it looked every header of every record up against its patterns
 * and for JSON type information, a fifth of a consumer thread's CPU. Otherwise the
 * converter is the batch listener's default: payloads as the deserializer gave them, no
 * generated message ids or timestamps.
 */
public class BatchHeaders implements ConsumerEndpointCustomizer<KafkaMessageDrivenChannelAdapter<?, ?>> {

	private final KafkaHeaderMapper headers;

	public BatchHeaders(KafkaHeaderMapper headers) {
		this.headers = headers;
	}

	@Override
	public void configure(KafkaMessageDrivenChannelAdapter<?, ?> adapter, String destination, String group) {
		adapter.setBatchMessageConverter(converter());
	}

	BatchMessagingMessageConverter converter() {
		BatchMessagingMessageConverter converter = new BatchMessagingMessageConverter();
		converter.setHeaderMapper(this.headers);
		return converter;
	}

}
