package dev.switchboard.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.switchboard.events.EventTypes;
import dev.switchboard.events.Topics;

/**
 * Reads routing's events from the broker and notes, per conversation, when it was first
 * assigned (the record's timestamp: when the routing outbox relay produced it).
 */
final class AssignmentWatcher implements AutoCloseable {

	private final Map<String, Long> assignedMillis = new ConcurrentHashMap<>();

	private final Thread thread;

	private volatile boolean running = true;

	AssignmentWatcher(String bootstrapServers) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties);
		this.thread = new Thread(() -> consume(consumer), "assignment-watcher");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void consume(KafkaConsumer<String, byte[]> consumer) {
		try (consumer) {
			List<TopicPartition> partitions = List.of();
			while (this.running && partitions.isEmpty()) {
				try {
					partitions = consumer.partitionsFor(Topics.ROUTING_EVENTS, Duration.ofSeconds(5))
						.stream()
						.map((info) -> new TopicPartition(info.topic(), info.partition()))
						.toList();
				}
				catch (RuntimeException ex) {
					Processes.sleep(500);
				}
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			while (this.running) {
				try {
					for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
						if (EventTypes.CONVERSATION_ASSIGNED.equals(type(record)) && record.key() != null) {
							this.assignedMillis.putIfAbsent(record.key(), record.timestamp());
						}
					}
				}
				catch (org.apache.kafka.common.errors.WakeupException ex) {
					return;
				}
				catch (RuntimeException ex) {
					Processes.sleep(500);
				}
			}
		}
	}

	private static String type(ConsumerRecord<String, byte[]> record) {
		for (String name : List.of("ce_type", "ce-type")) {
			Header header = record.headers().lastHeader(name);
			if (header != null) {
				return new String(header.value(), StandardCharsets.UTF_8);
			}
		}
		return "";
	}

	/**
	 * @return per conversation id, when it was first assigned (epoch ms)
	 */
	Map<String, Long> assignedMillis() {
		return this.assignedMillis;
	}

	@Override
	public void close() {
		this.running = false;
		try {
			this.thread.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
