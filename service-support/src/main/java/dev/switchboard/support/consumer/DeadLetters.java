package dev.switchboard.support.consumer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

/**
 * Parks an event a consumer could not read or apply on the service's dead-letter topic,
 * as received (key, payload, CloudEvents headers) plus where it came from and why, in the
 * header names Spring Cloud Stream's binder uses. Waits for the broker's acknowledgement:
 * the consumer commits the record's offset only after it.
 */
public class DeadLetters {

	/** The topic the event was read from. */
	public static final String ORIGINAL_TOPIC = "x-original-topic";

	/** Its partition (4-byte big-endian int). */
	public static final String ORIGINAL_PARTITION = "x-original-partition";

	/** Its offset (8-byte big-endian long). */
	public static final String ORIGINAL_OFFSET = "x-original-offset";

	/** The consumer that gave up on it. */
	public static final String CONSUMER = "x-consumer";

	/** The class of the exception. */
	public static final String EXCEPTION_FQCN = "x-exception-fqcn";

	/** The exception's message. */
	public static final String EXCEPTION_MESSAGE = "x-exception-message";

	private static final Logger logger = LoggerFactory.getLogger(DeadLetters.class);

	private final KafkaTemplate<String, byte[]> kafka;

	private final String topic;

	private final Duration timeout;

	public DeadLetters(KafkaTemplate<String, byte[]> kafka, String topic, Duration timeout) {
		this.kafka = kafka;
		this.topic = topic;
		this.timeout = timeout;
	}

	/**
	 * The dead-letter topic.
	 * @return its name
	 */
	public String topic() {
		return this.topic;
	}

	/**
	 * Publishes the event to the dead-letter topic and waits for the acknowledgement.
	 * @param consumer the consumer that gives up on it
	 * @param message the event as received, with its Kafka and CloudEvents headers
	 * @param cause why
	 * @throws KafkaException if the broker did not acknowledge it (the caller must not
	 * commit the record then)
	 */
	public void park(String consumer, Message<byte[]> message, Throwable cause) {
		Map<String, Object> headers = message.getHeaders();
		Object key = headers.get(KafkaHeaders.RECEIVED_KEY);
		String originalKey = (key instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
				: (key != null) ? key.toString() : null;
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(this.topic, originalKey, message.getPayload());
		headers.forEach((name, value) -> {
			if (isCarried(name)) {
				byte[] bytes = bytes(value);
				if (bytes != null) {
					// Spring Cloud Function turns ce_ into ce- before a consumer sees it.
					String original = name.startsWith("ce-") ? "ce_" + name.substring(3) : name;
					record.headers().add(new RecordHeader(original, bytes));
				}
			}
		});
		if (headers.get(KafkaHeaders.RECEIVED_TOPIC) instanceof String topic) {
			header(record, ORIGINAL_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
		}
		if (headers.get(KafkaHeaders.RECEIVED_PARTITION) instanceof Integer partition) {
			header(record, ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(partition).array());
		}
		if (headers.get(KafkaHeaders.OFFSET) instanceof Long offset) {
			header(record, ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(offset).array());
		}
		header(record, CONSUMER, consumer.getBytes(StandardCharsets.UTF_8));
		header(record, EXCEPTION_FQCN, cause.getClass().getName().getBytes(StandardCharsets.UTF_8));
		header(record, EXCEPTION_MESSAGE, String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8));
		try {
			this.kafka.send(record).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaException("Interrupted while parking an event on " + this.topic, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new KafkaException("The broker did not take an event for " + this.topic, ex);
		}
		logger.warn("{} parked an event on {} ({}): {}", consumer, this.topic, cause.getClass().getSimpleName(),
				cause.getMessage());
	}

	private static boolean isCarried(String name) {
		return name.startsWith("ce_") || name.startsWith("ce-") || name.equals("traceparent");
	}

	private static byte @org.jspecify.annotations.Nullable [] bytes(Object value) {
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		if (value instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		return null;
	}

	private static void header(ProducerRecord<String, byte[]> record, String name, byte[] value) {
		record.headers().add(new RecordHeader(name, value));
	}

}
