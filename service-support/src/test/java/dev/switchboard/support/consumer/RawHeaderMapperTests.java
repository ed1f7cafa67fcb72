package dev.switchboard.support.consumer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.MessageHeaders;

import dev.switchboard.events.CloudEventHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class RawHeaderMapperTests {

	private final RawHeaderMapper mapper = new RawHeaderMapper();

	@Test
	void whenARecordIsReadThenEveryHeaderIsItsBytesUnderItsName() {
		RecordHeaders headers = new RecordHeaders();
		headers.add(CloudEventHeaders.TYPE, bytes("dev.switchboard.inbox.message-received.v1"));
		headers.add("traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
		headers.add("spring_json_header_types", bytes("{\"x\":\"java.lang.String\"}"));
		Map<String, Object> mapped = new HashMap<>();

		this.mapper.toHeaders(headers, mapped);

		assertThat(mapped).containsOnlyKeys(CloudEventHeaders.TYPE, "traceparent", "spring_json_header_types");
		assertThat((byte[]) mapped.get(CloudEventHeaders.TYPE))
			.isEqualTo(bytes("dev.switchboard.inbox.message-received.v1"));
		assertThat(
				EventProcessor.attribute(org.springframework.messaging.support.MessageBuilder.withPayload(new byte[0])
					.copyHeaders(mapped)
					.build(), "traceparent"))
			.isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
	}

	@Test
	void whenAMessageIsWrittenThenItsTextAndBytesGoButNotSpringsOwnHeaders() {
		MessageHeaders headers = new MessageHeaders(Map.of(CloudEventHeaders.ID, "e-1", CloudEventHeaders.TENANT,
				bytes("acme"), KafkaHeaders.KEY, "conversation-1", "count", 3));
		RecordHeaders target = new RecordHeaders();

		this.mapper.fromHeaders(headers, target);

		assertThat(target.toArray()).extracting((header) -> header.key() + "=" + new String(header.value()))
			.containsExactlyInAnyOrder("ce_id=e-1", "ce_tenant=acme");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
