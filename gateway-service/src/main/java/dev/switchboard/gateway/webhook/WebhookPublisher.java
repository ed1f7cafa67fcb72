package dev.switchboard.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;

import dev.switchboard.events.CloudEventHeaders;
import dev.switchboard.events.EventCodec;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;

/**
 * Publishes verified webhook items to Kafka as CloudEvents, keyed by conversation, and
 * completes only when the broker acknowledged every one of them.
 */
class WebhookPublisher {

	static final String SOURCE = "/switchboard/gateway-service/webhooks/whatsapp";

	private final KafkaTemplate<String, byte[]> kafka;

	private final EventCodec codec;

	private final Clock clock;

	private final Duration timeout;

	WebhookPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec, Clock clock, Duration timeout) {
		this.kafka = kafka;
		this.codec = codec;
		this.clock = clock;
		this.timeout = timeout;
	}

	Mono<Void> publish(List<SwitchboardEvent> events) {
		return Mono.defer(() -> {
			CompletableFuture<?>[] acks = events.stream()
				.map((event) -> this.kafka.send(toRecord(event)))
				.toArray(CompletableFuture[]::new);
			return Mono.fromFuture(CompletableFuture.allOf(acks));
		}).timeout(this.timeout).then();
	}

	private ProducerRecord<String, byte[]> toRecord(SwitchboardEvent event) {
		EventTypes.Registration registration = EventTypes.of(event);
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(registration.topic(), event.conversationId(),
				this.codec.encode(event));
		header(record, CloudEventHeaders.ID, UUID.randomUUID().toString());
		header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
		header(record, CloudEventHeaders.TYPE, registration.type());
		header(record, CloudEventHeaders.SOURCE, SOURCE);
		header(record, CloudEventHeaders.TIME, this.clock.instant().toString());
		header(record, CloudEventHeaders.SUBJECT, event.conversationId());
		header(record, CloudEventHeaders.TENANT, event.tenantId());
		header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
		return record;
	}

	private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
		record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
	}

}
