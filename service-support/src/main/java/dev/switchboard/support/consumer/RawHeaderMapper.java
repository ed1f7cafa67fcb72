package dev.switchboard.support.consumer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.support.KafkaHeaderMapper;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.MessageHeaders;

/**
 * The consumer bindings' header mapper (the binder's {@code kafkaBinderHeaderMapper}, and
 * through {@link BatchHeaders} their batch listeners'): every Kafka header of a record as
 * its bytes, under its name. The platform's headers are CloudEvents attributes and W3C
 * trace context, text the consumers read themselves ({@link EventProcessor#attribute});
 * the binder's default mapper looked every record's headers up against its patterns and
 * for JSON-typed values first, which cost more than the copy (a twentieth of a consumer's
 * CPU). Outbound, where no Switchboard service uses a binding, text and byte values are
 * written as they are.
 */
public class RawHeaderMapper implements KafkaHeaderMapper {

	/** The bean name the Kafka binder looks its header mapper up by. */
	public static final String BEAN_NAME = "kafkaBinderHeaderMapper";

	@Override
	public void toHeaders(Headers source, Map<String, Object> target) {
		for (Header header : source) {
			target.put(header.key(), header.value());
		}
	}

	@Override
	public void fromHeaders(MessageHeaders headers, Headers target) {
		headers.forEach((name, value) -> {
			if (name.equals(MessageHeaders.ID) || name.equals(MessageHeaders.TIMESTAMP)
					|| name.startsWith(KafkaHeaders.PREFIX)) {
				return;
			}
			if (value instanceof byte[] bytes) {
				target.add(name, bytes);
			}
			else if (value instanceof String text) {
				target.add(name, text.getBytes(StandardCharsets.UTF_8));
			}
		});
	}

}
