package dev.switchboard.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.switchboard.events.CloudEventHeaders;
import dev.switchboard.events.EventCodec;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.WhatsAppMessageReceived;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's own logic over Kafka's {@link MockProducer}: when it completes, with
 * what, and where. That the records reach a real broker is {@code WhatsAppWebhookIT}'s.
 */
class WebhookPublisherTests {

	private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
			new ByteArraySerializer());

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final WebhookPublisher publisher = new WebhookPublisher(this.producer, new EventCodec(),
			Clock.fixed(Instant.parse("2026-12-02T08:00:00Z"), ZoneOffset.UTC), this.meters);

	private final List<Runnable> handedOver = new ArrayList<>();

	private final Executor eventLoop = this.handedOver::add;

	@Test
	void whenEveryRecordIsAcknowledgedThenTheWebhookCompletesOnTheGivenExecutor() {
		Outcome outcome = publish(List.of(received("wamid.1"), received("wamid.2")));

		this.producer.completeNext();
		assertThat(this.handedOver).as("one of two acknowledged").isEmpty();
		this.producer.completeNext();
		assertThat(outcome.done.get()).as("not before the executor runs it").isNull();
		assertThat(this.handedOver).hasSize(1);
		this.handedOver.getFirst().run();

		assertThat(outcome.done.get()).isEqualTo("completed");
		assertThat(this.meters.timer("switchboard.webhooks.publish").count()).isOne();
	}

	@Test
	void whenARecordFailsThenTheWebhookFailsOnceWithItsError() {
		Outcome outcome = publish(List.of(received("wamid.1"), received("wamid.2")));

		this.producer.errorNext(new TimeoutException("no broker"));
		this.producer.completeNext();
		this.handedOver.forEach(Runnable::run);

		assertThat(this.handedOver).hasSize(1);
		assertThat(outcome.done.get()).isEqualTo("failed: no broker");
		assertThat(this.meters.timer("switchboard.webhooks.publish").count()).isZero();
	}

	@Test
	void whenPublishedThenEachRecordIsACloudEventKeyedByConversationWithTheTraceContext() {
		publish(List.of(received("wamid.1")));

		var record = this.producer.history().getFirst();
		assertThat(record.key()).isEqualTo("conversation-1");
		assertThat(header(record.headers().lastHeader(CloudEventHeaders.TYPE).value()))
			.isEqualTo(EventTypes.WHATSAPP_MESSAGE_RECEIVED);
		assertThat(header(record.headers().lastHeader(CloudEventHeaders.TENANT).value())).isEqualTo("acme");
		assertThat(header(record.headers().lastHeader(WebhookPublisher.TRACEPARENT).value()))
			.isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
	}

	@Test
	void whenAWebhookHasNoEventsThenItCompletesAtOnce() {
		assertThat(this.publisher.publish(List.of(), null, this.eventLoop).hasElement().block()).isFalse();
		assertThat(this.producer.history()).isEmpty();
	}

	private Outcome publish(List<SwitchboardEvent> events) {
		Outcome outcome = new Outcome();
		this.publisher.publish(events, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", this.eventLoop)
			.subscribe(null, (ex) -> outcome.done.set("failed: " + ex.getMessage()),
					() -> outcome.done.set("completed"));
		return outcome;
	}

	private static SwitchboardEvent received(String wamid) {
		return new WhatsAppMessageReceived("acme", "conversation-1", "15550001", "393331234567", "Mario", wamid, "text",
				Instant.parse("2026-12-02T07:59:00Z"), "{\"id\":\"" + wamid + "\"}");
	}

	private static String header(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

	private static final class Outcome {

		final AtomicReference<String> done = new AtomicReference<>();

	}

}
