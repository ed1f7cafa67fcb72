package dev.switchboard.support.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Splits the message of a batch listener (one poll) into one message per Kafka record,
 * each with its own headers. The Kafka binder hands a batch over with list-valued headers
 * (topic, partition, offset, key: element {@code i} belongs to record {@code i}) and each
 * record's own headers either converted ({@link KafkaHeaders#BATCH_CONVERTED_HEADERS}) or
 * raw ({@link KafkaHeaders#NATIVE_HEADERS}).
 */
final class BatchRecords {

	private BatchRecords() {
	}

	static List<Message<byte[]>> split(Message<List<byte[]>> batch) {
		List<byte[]> payloads = batch.getPayload();
		int size = payloads.size();
		MessageHeaders headers = batch.getHeaders();
		Object converted = headers.get(KafkaHeaders.BATCH_CONVERTED_HEADERS);
		Object raw = headers.get(KafkaHeaders.NATIVE_HEADERS);
		// The list-valued headers, found once for the whole batch.
		List<Map.Entry<String, List<?>>> listed = new ArrayList<>();
		for (Map.Entry<String, Object> header : headers.entrySet()) {
			if (header.getValue() instanceof List<?> values && values.size() == size
					&& !header.getKey().equals(KafkaHeaders.BATCH_CONVERTED_HEADERS)
					&& !header.getKey().equals(KafkaHeaders.NATIVE_HEADERS)) {
				listed.add(Map.entry(header.getKey(), values));
			}
		}
		List<Message<byte[]>> records = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			Map<String, Object> own = HashMap.newHashMap(listed.size() + 16);
			for (Map.Entry<String, List<?>> header : listed) {
				Object value = header.getValue().get(i);
				if (value != null) {
					own.put(header.getKey(), value);
				}
			}
			if (converted instanceof List<?> maps && maps.size() == size && maps.get(i) instanceof Map<?, ?> map) {
				map.forEach((name, value) -> {
					if (value != null) {
						own.put(name.toString(), value);
					}
				});
			}
			if (raw instanceof List<?> all && all.size() == size && all.get(i) instanceof Headers recordHeaders) {
				for (Header header : recordHeaders) {
					own.putIfAbsent(header.key(), header.value());
				}
			}
			byte[] payload = payloads.get(i);
			records
				.add(MessageBuilder.createMessage((payload != null) ? payload : new byte[0], new MessageHeaders(own)));
		}
		return records;
	}

}
