package dev.switchboard.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.switchboard.events.CloudEventHeaders;
import dev.switchboard.events.EventCodec;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;

/**
 * Publishes verified webhook items to Kafka as CloudEvents, keyed by conversation (a
 * template update by tenant), and completes only when the broker acknowledged every one
 * of them. The request's trace context travels as an explicit {@code traceparent} header:
 * one observation per webhook (the HTTP request's), none per record.
 * <p>
 * The producer is Kafka's own, without a template: its callbacks run on the producer's
 * single network thread, so the publisher only counts acknowledgements there and hands
 * the completion to the executor the caller names (the request's event loop), keeping the
 * HTTP response off the thread that sends every webhook's records. The producer's
 * {@code delivery.timeout.ms} bounds how long an acknowledgement can take.
 */
class WebhookPublisher {

	static final String SOURCE = "/switchboard/gateway-service/webhooks/whatsapp";

	static final String TRACEPARENT = "traceparent";

	private final Producer<String, byte[]> producer;

	private final EventCodec codec;

	private final Clock clock;

	private final Timer latency;

	WebhookPublisher(Producer<String, byte[]> producer, EventCodec codec, Clock clock, MeterRegistry meters) {
		this.producer = producer;
		this.codec = codec;
		this.clock = clock;
		this.latency = Timer.builder("switchboard.webhooks.publish")
			.description("From the first send of a webhook's events to the broker's acknowledgement of the last")
			.register(meters);
	}

	/**
	 * Sends the events and completes when the broker acknowledged all of them.
	 * @param events the webhook's events
	 * @param traceparent the W3C trace context of the request, carried in each record so
	 * that the consumers continue the trace
	 * @param completion where the returned {@code Mono} completes
	 * @return completion, or the first error of a record the broker did not take
	 */
	Mono<Void> publish(List<SwitchboardEvent> events, @Nullable String traceparent, Executor completion) {
		if (events.isEmpty()) {
			return Mono.empty();
		}
		return Mono.create((sink) -> {
			long start = System.nanoTime();
			AtomicInteger pending = new AtomicInteger(events.size());
			Callback acknowledged = (metadata, ex) -> {
				if (ex != null) {
					// Once is enough: the sink ignores any later signal.
					if (pending.getAndSet(-1) > 0) {
						completion.execute(() -> sink.error(ex));
					}
				}
				else if (pending.decrementAndGet() == 0) {
					this.latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
					completion.execute(sink::success);
				}
			};
			for (SwitchboardEvent event : events) {
				this.producer.send(toRecord(event, traceparent), acknowledged);
			}
		});
	}

	private ProducerRecord<String, byte[]> toRecord(SwitchboardEvent event, @Nullable String traceparent) {
		EventTypes.Registration registration = EventTypes.of(event);
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(registration.topic(), event.partitionKey(),
				this.codec.encode(event));
		header(record, CloudEventHeaders.ID, UUID.randomUUID().toString());
		header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
		header(record, CloudEventHeaders.TYPE, registration.type());
		header(record, CloudEventHeaders.SOURCE, SOURCE);
		header(record, CloudEventHeaders.TIME, this.clock.instant().toString());
		String conversationId = event.conversationId();
		if (conversationId != null) {
			header(record, CloudEventHeaders.SUBJECT, conversationId);
		}
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
