package dev.switchboard.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventCodecTests {

	private final EventCodec codec = new EventCodec();

	private final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest
	@ValueSource(strings = { EventTypes.WHATSAPP_MESSAGE_RECEIVED, EventTypes.WHATSAPP_STATUS_RECEIVED,
			EventTypes.WHATSAPP_TEMPLATE_UPDATED, EventTypes.MESSAGE_RECEIVED, EventTypes.MESSAGE_SENT,
			EventTypes.MESSAGE_STATUS_CHANGED, EventTypes.CONVERSATION_STATUS_CHANGED, EventTypes.WINDOW_OPENED,
			EventTypes.WINDOW_EXTENDED, EventTypes.WINDOW_CLOSING, EventTypes.WINDOW_EXPIRED,
			EventTypes.CONVERSATION_ASSIGNED, EventTypes.CONVERSATION_QUEUED, EventTypes.CONVERSATION_ESCALATED,
			EventTypes.PLAN_CHANGED, EventTypes.DEVICE_CHANGED })
	void whenSampleDecodedAndEncodedThenJsonIsUnchanged(String type) throws IOException {
		byte[] sample = sample(type);
		SwitchboardEvent event = this.codec.decode(type, sample);
		assertThat(EventTypes.of(event).type()).isEqualTo(type);
		JsonNode written = this.json.readTree(this.codec.encode(event));
		assertThat(written).isEqualTo(this.json.readTree(sample));
	}

	@ParameterizedTest
	@ValueSource(strings = { EventTypes.WHATSAPP_STATUS_RECEIVED + "=whatsapp-status-failed",
			EventTypes.MESSAGE_STATUS_CHANGED + "=message-status-failed" })
	void whenAFailedStatusSampleIsDecodedAndEncodedThenMetasErrorsAreKept(String typeAndSample) throws IOException {
		String[] parts = typeAndSample.split("=");
		byte[] sample;
		try (InputStream in = getClass().getResourceAsStream("/samples/" + parts[1] + ".json")) {
			assertThat(in).isNotNull();
			sample = in.readAllBytes();
		}
		SwitchboardEvent event = this.codec.decode(parts[0], sample);
		assertThat(this.json.readTree(this.codec.encode(event))).isEqualTo(this.json.readTree(sample));
		java.util.List<WhatsAppError> errors = (event instanceof MessageStatusChanged status) ? status.errors()
				: ((WhatsAppStatusReceived) event).errors();
		assertThat(errors).singleElement().satisfies((error) -> assertThat(error.details()).isNotBlank());
	}

	@Test
	void whenAStatusOfAnOlderProducerHasNoErrorsOrPricingThenTheyAreNull() {
		String older = """
				{"tenantId":"t","conversationId":"c","messageId":"m","wamid":"w","status":"SENT",
				 "at":"2026-11-22T09:15:00Z","error":null}""";
		MessageStatusChanged event = (MessageStatusChanged) this.codec.decode(EventTypes.MESSAGE_STATUS_CHANGED,
				older.getBytes(StandardCharsets.UTF_8));
		assertThat(event).isEqualTo(
				new MessageStatusChanged("t", "c", "m", "w", "SENT", Instant.parse("2026-11-22T09:15:00Z"), null));
		assertThat(event.pricing()).isNull();
	}

	@Test
	void whenATemplateIsUpdatedThenKeyedByTenant() {
		WhatsAppTemplateUpdated updated = new WhatsAppTemplateUpdated("demo", "1", "message_template_status_update",
				"2", "n", "en_US", "APPROVED", null, null, "NONE", Instant.EPOCH, "{}");
		assertThat(updated.partitionKey()).isEqualTo("demo");
	}

	@Test
	void whenPayloadHasUnknownFieldThenItIsIgnored() {
		String withExtra = """
				{"tenantId":"t","conversationId":"c","messageId":"m","contactId":"k","waId":"1","wamid":"w",
				 "type":"text","sentAt":"2026-11-22T09:15:00Z","text":null,"addedInALaterVersion":42}""";
		SwitchboardEvent event = this.codec.decode(EventTypes.MESSAGE_RECEIVED,
				withExtra.getBytes(StandardCharsets.UTF_8));
		assertThat(event).isEqualTo(
				new MessageReceived("t", "c", "m", "k", "1", "w", "text", Instant.parse("2026-11-22T09:15:00Z"), null));
		assertThat(((MessageReceived) event).contactLabels()).as("absent in an older producer's event").isNull();
	}

	@Test
	void whenATimestampIsNotAnInstantThenTheEventIsMalformed() {
		String badTime = """
				{"tenantId":"t","conversationId":"c","messageId":"m","contactId":"k","waId":"1","wamid":"w",
				 "type":"text","sentAt":"2026-02-30T09:15:00Z","text":null}""";
		assertThatExceptionOfType(EventCodec.MalformedEventException.class)
			.isThrownBy(() -> this.codec.decode(EventTypes.MESSAGE_RECEIVED, badTime.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("2026-02-30T09:15:00Z");
	}

	@Test
	void whenATimestampHasAnOffsetOrIsANumberThenItIsReadAsTheSameInstant() {
		String json = """
				{"tenantId":"t","conversationId":"c","messageId":"m","contactId":"k","waId":"1","wamid":"w",
				 "type":"text","sentAt":%s,"text":null}""";
		for (String sentAt : new String[] { "\"2026-11-22T10:15:00+01:00\"", "1795338900" }) {
			MessageReceived event = (MessageReceived) this.codec.decode(EventTypes.MESSAGE_RECEIVED,
					json.formatted(sentAt).getBytes(StandardCharsets.UTF_8));
			assertThat(event.sentAt()).isEqualTo(Instant.parse("2026-11-22T09:15:00Z"));
		}
	}

	@Test
	void whenEventIsTenantWideThenKeyedByTenant() {
		PlanChanged plan = new PlanChanged("demo", "PREMIUM", 10, 10, java.time.LocalDate.parse("2026-11-15"),
				Instant.parse("2026-11-15T08:00:00Z"));
		assertThat(plan.partitionKey()).isEqualTo("demo");
		assertThat(new WindowExpired("demo", "c-1", Instant.EPOCH, true).partitionKey()).isEqualTo("c-1");
	}

	@Test
	void whenTypeUnknownThenMalformed() {
		assertThatExceptionOfType(EventCodec.MalformedEventException.class)
			.isThrownBy(() -> this.codec.decode("dev.switchboard.nope.v1", "{}".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("Unknown event type");
	}

	@Test
	void whenPayloadIsNotJsonThenMalformed() {
		assertThatExceptionOfType(EventCodec.MalformedEventException.class)
			.isThrownBy(() -> this.codec.decode(EventTypes.WINDOW_OPENED, "not json".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("does not match");
	}

	@Test
	void whenSameTenantAndCustomerThenSameConversationId() {
		assertThat(ConversationIds.of("demo", "393331234567")).isEqualTo(ConversationIds.of("demo", "393331234567"))
			.isNotEqualTo(ConversationIds.of("other", "393331234567"));
	}

	private byte[] sample(String type) throws IOException {
		String file = type.replaceFirst("^dev\\.switchboard\\.[a-z]+\\.", "") + ".json";
		try (InputStream in = getClass().getResourceAsStream("/samples/" + file)) {
			assertThat(in).as("sample %s", file).isNotNull();
			return in.readAllBytes();
		}
	}

}
