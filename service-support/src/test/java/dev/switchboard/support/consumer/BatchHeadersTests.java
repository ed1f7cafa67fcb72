package dev.switchboard.support.consumer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

import dev.switchboard.events.CloudEventHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class BatchHeadersTests {

	private final BatchHeaders batchHeaders = new BatchHeaders(new RawHeaderMapper());

	@Test
	void whenAPollIsConvertedThenEachRecordKeepsItsOwnHeadersAsTheirBytes() {
		ConsumerRecord<String, byte[]> first = record(0, "conversation-1", "e-1", "payload-1");
		ConsumerRecord<String, byte[]> second = record(1, "conversation-2", "e-2", "payload-2");

		@SuppressWarnings("unchecked")
		Message<List<byte[]>> batch = (Message<List<byte[]>>) this.batchHeaders.converter()
			.toMessage(List.of(first, second), null, null, null);

		assertThat(batch.getHeaders().get(KafkaHeaders.BATCH_CONVERTED_HEADERS))
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(Map.class))
			.allSatisfy((headers) -> assertThat(headers.get(CloudEventHeaders.ID)).isInstanceOf(byte[].class));
		List<Message<byte[]>> records = BatchRecords.split(batch);
		assertThat(records).extracting((record) -> EventProcessor.attribute(record, CloudEventHeaders.ID))
			.containsExactly("e-1", "e-2");
		assertThat(records).extracting((record) -> new String(record.getPayload(), StandardCharsets.UTF_8))
			.containsExactly("payload-1", "payload-2");
		assertThat(records).extracting((record) -> record.getHeaders().get(KafkaHeaders.OFFSET))
			.containsExactly(0L, 1L);
		assertThat(records).extracting((record) -> record.getHeaders().get(KafkaHeaders.RECEIVED_KEY))
			.containsExactly("conversation-1", "conversation-2");
	}

	private static ConsumerRecord<String, byte[]> record(long offset, String key, String id, String payload) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(CloudEventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
		headers.add(CloudEventHeaders.TYPE, "dev.switchboard.test.v1".getBytes(StandardCharsets.UTF_8));
		return new ConsumerRecord<>("topic", 0, offset, 0L, TimestampType.CREATE_TIME, 0, 0, key,
				payload.getBytes(StandardCharsets.UTF_8), headers, java.util.Optional.empty());
	}

}
