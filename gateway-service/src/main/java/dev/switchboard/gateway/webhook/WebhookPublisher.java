package dev.switchboard.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;

import dev.switchboard.events.CloudEventHeaders;
import dev.switchboard.events.EventCodec;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;

/**
 * Publishes verified webhook items to Kafka as CloudEvents, keyed by conversation, and
 * completes only when the broker acknowledged every one of them. The request's trace
 * context travels as an explicit {@code traceparent} header: one observation per webhook
 * (the HTTP request's), none per record.
 */
class WebhookPublisher {

	static final String SOURCE = "/switchboard/gateway-service/webhooks/whatsapp";

	static final String TRACEPARENT = "traceparent";

	private final KafkaTemplate<String, byte[]> kafka;

	private final EventCodec codec;

	private final Clock clock;

	private final Duration timeout;

	private final Timer latency;

	WebhookPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec, Clock clock, Duration timeout,
			MeterRegistry meters) {
		this.kafka = kafka;
		this.codec = codec;
		this.clock = clock;
		this.timeout = timeout;
		this.latency = Timer.builder("switchboard.webhooks.publish")
			.description("From the first send of a webhook's events to the broker's acknowledgement of the last")
			.register(meters);
	}

	/**
	 * Sends the events and completes when the broker acknowledged all of them.
	 * @param events the webhook's events
	 * @param traceparent the W3C trace context of the request, carried in each record so
	 * that the consumers continue the trace
	 * @return completion, or an error if the broker did not acknowledge in time
	 */
	Mono<Void> publish(List<SwitchboardEvent> events, @Nullable String traceparent) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			CompletableFuture<?>[] acks = events.stream()
				.map((event) -> this.kafka.send(toRecord(event, traceparent)))
				.toArray(CompletableFuture[]::new);
			return Mono.fromFuture(CompletableFuture.allOf(acks)
				.whenComplete((done, ex) -> this.latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS)));
		}).timeout(this.timeout).then();
	}

	private ProducerRecord<String, byte[]> toRecord(SwitchboardEvent event, @Nullable String traceparent) {
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
		if (traceparent != null) {
			header(record, TRACEPARENT, traceparent);
		}
		return record;
	}

	private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
		record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
	}

}
