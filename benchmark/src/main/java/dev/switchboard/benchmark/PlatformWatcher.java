package dev.switchboard.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.switchboard.events.EventTypes;
import dev.switchboard.events.Topics;

/**
 * Follows the platform through its events, without querying its database (the benchmark's
 * own polling must not load PostgreSQL): the inbox's {@code MessageReceived} events
 * (published, through the outbox, only once a message is committed) count the messages
 * persisted (and, per conversation, when the first was), and routing's events note, per
 * conversation, when it was first assigned (the record's timestamp: when the routing
 * outbox relay produced it); the services' consumer groups' lag says when every service
 * has caught up.
 */
final class PlatformWatcher implements AutoCloseable {

	private final Map<String, Long> assignedMillis = new ConcurrentHashMap<>();

	private final Set<String> persisted = ConcurrentHashMap.newKeySet();

	private final Map<String, Long> persistedMillis = new ConcurrentHashMap<>();

	private final Thread thread;

	private final Admin admin;

	private volatile boolean running = true;

	PlatformWatcher(String bootstrapServers) {
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties);
		this.thread = new Thread(() -> consume(consumer), "platform-watcher");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void consume(KafkaConsumer<String, byte[]> consumer) {
		try (consumer) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : List.of(Topics.ROUTING_EVENTS, Topics.INBOX_EVENTS)) {
				List<TopicPartition> found = List.of();
				while (this.running && found.isEmpty()) {
					try {
						found = consumer.partitionsFor(topic, Duration.ofSeconds(5))
							.stream()
							.map((info) -> new TopicPartition(info.topic(), info.partition()))
							.toList();
					}
					catch (RuntimeException ex) {
						Processes.sleep(500);
					}
				}
				partitions.addAll(found);
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			while (this.running) {
				try {
					for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
						String type = header(record, "type");
						if (EventTypes.CONVERSATION_ASSIGNED.equals(type) && record.key() != null) {
							this.assignedMillis.putIfAbsent(record.key(), record.timestamp());
						}
						else if (EventTypes.MESSAGE_RECEIVED.equals(type)) {
							// By ce_id: a relay that republishes after a crash repeats
							// the id.
							this.persisted.add(header(record, "id"));
							if (record.key() != null) {
								this.persistedMillis.putIfAbsent(record.key(), record.timestamp());
							}
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

	private static String header(ConsumerRecord<String, byte[]> record, String attribute) {
		for (String name : List.of("ce_" + attribute, "ce-" + attribute)) {
			Header header = record.headers().lastHeader(name);
			if (header != null) {
				return new String(header.value(), StandardCharsets.UTF_8);
			}
		}
		return "";
	}

	/**
	 * @return how many inbound messages the inbox has persisted so far
	 */
	long persisted() {
		return this.persisted.size();
	}

	/**
	 * @return per conversation id, when its first message was announced as persisted
	 * (epoch ms: the record's timestamp, when the inbox outbox relay produced it)
	 */
	Map<String, Long> persistedMillis() {
		return this.persistedMillis;
	}

	/**
	 * @return per conversation id, when it was first assigned (epoch ms)
	 */
	Map<String, Long> assignedMillis() {
		return this.assignedMillis;
	}

	/**
	 * How many records the services' consumer groups have yet to process: the end offset
	 * of every partition a group committed an offset on, less that offset, summed.
	 * @return the records not yet processed
	 */
	long lag() {
		try {
			long lag = 0;
			for (GroupListing group : this.admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get()) {
				Map<TopicPartition, OffsetAndMetadata> committed = this.admin.listConsumerGroupOffsets(group.groupId())
					.partitionsToOffsetAndMetadata()
					.get();
				Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
				committed.keySet().forEach((partition) -> latest.put(partition, OffsetSpec.latest()));
				Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = this.admin.listOffsets(latest)
					.all()
					.get();
				for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
					if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
						lag += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
					}
				}
			}
			return lag;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Consumer lag could not be read", ex.getCause());
		}
	}

	@Override
	public void close() {
		this.admin.close(Duration.ofSeconds(5));
		this.running = false;
		try {
			this.thread.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
