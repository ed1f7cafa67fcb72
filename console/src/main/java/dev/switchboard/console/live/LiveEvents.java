package dev.switchboard.console.live;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import dev.switchboard.events.CloudEventHeaders;
import dev.switchboard.events.Topics;

/**
 * The platform's events as this console instance hears them: every instance reads every
 * event in a consumer group of its own (from the latest offset: browsers re-read their
 * pages through the API, so nothing older matters), keeps only the CloudEvents headers
 * (type and tenant) and the record key (the conversation), and hands them to the open
 * streams. A stream that cannot keep up loses events rather than holding others back.
 */
@Component
class LiveEvents {

	private static final Logger logger = LoggerFactory.getLogger(LiveEvents.class);

	private final Sinks.Many<LiveEvent> sink = Sinks.many().multicast().directBestEffort();

	private final MeterRegistry meters;

	LiveEvents(MeterRegistry meters) {
		this.meters = meters;
	}

	@KafkaListener(id = "console-live", idIsGroup = false,
			topics = { Topics.INBOX_EVENTS, Topics.ROUTING_EVENTS, Topics.AUDIT_EVENTS, Topics.BILLING_EVENTS })
	void on(ConsumerRecord<String, byte[]> record) {
		String type = header(record, CloudEventHeaders.TYPE);
		String tenant = header(record, CloudEventHeaders.TENANT);
		if (type == null || tenant == null) {
			return;
		}
		Optional<LiveKind> kind = LiveKind.of(type);
		if (kind.isEmpty()) {
			return;
		}
		LiveEvent event = new LiveEvent(tenant, kind.get(), kind.get().perConversation() ? record.key() : null);
		this.meters.counter("console.live.events.received", "kind", kind.get().eventName()).increment();
		Sinks.EmitResult result = this.sink.tryEmitNext(event);
		if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
			logger.debug("Live event {} not handed on: {}", event, result);
		}
	}

	/** Every event from now on, for one stream. */
	Flux<LiveEvent> events() {
		return this.sink.asFlux();
	}

	/**
	 * Hands an event to the open streams (what the Kafka listener does for each record).
	 * @param event the event
	 */
	void publish(LiveEvent event) {
		this.sink.tryEmitNext(event);
	}

	private static @Nullable String header(ConsumerRecord<String, byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
