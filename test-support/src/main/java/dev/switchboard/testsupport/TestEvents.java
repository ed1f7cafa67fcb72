package dev.switchboard.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.switchboard.events.CloudEventHeaders;
import dev.switchboard.events.EventCodec;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.Topics;

/**
 * A real Kafka client for tests: publishes events the way the services do (CloudEvents
 * headers, keyed by conversation) and records every event published on the platform's
 * topics.
 */
public final class TestEvents implements AutoCloseable {

	private final EventCodec codec = new EventCodec();

	private final KafkaProducer<String, byte[]> producer;

	private final KafkaConsumer<String, byte[]> consumer;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Thread poller;

	private volatile boolean running = true;

	public TestEvents(String bootstrapServers) {
		this.producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new ByteArraySerializer());
		this.consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						"test-events-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new ByteArrayDeserializer());
		this.consumer.subscribe(Topics.ALL);
		this.poller = new Thread(this::poll, "test-events");
		this.poller.setDaemon(true);
		this.poller.start();
	}

	/**
	 * Publishes an event and waits for the broker's acknowledgement.
	 * @param event the event
	 * @return the {@code ce_id} it was given
	 */
	public String publish(SwitchboardEvent event) {
		String id = UUID.randomUUID().toString();
		publish(event, id);
		return id;
	}

	/**
	 * Publishes an event with a given {@code ce_id} (to simulate a redelivery).
	 * @param event the event
	 * @param id the {@code ce_id}
	 */
	public void publish(SwitchboardEvent event, String id) {
		EventTypes.Registration registration = EventTypes.of(event);
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(registration.topic(), event.partitionKey(),
				this.codec.encode(event));
		record.headers()
			.add(CloudEventHeaders.ID, bytes(id))
			.add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0))
			.add(CloudEventHeaders.TYPE, bytes(registration.type()))
			.add(CloudEventHeaders.SOURCE, bytes("/switchboard/tests"))
			.add(CloudEventHeaders.TIME, bytes(Instant.now().toString()))
			.add(CloudEventHeaders.TENANT, bytes(event.tenantId()));
		try {
			this.producer.send(record).get(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Kafka did not acknowledge " + registration.type(), ex);
		}
	}

	/**
	 * Events of a type published so far.
	 * @param <E> the event type
	 * @param type the event record
	 * @return those events, with their envelope
	 */
	public <E extends SwitchboardEvent> List<Received> of(Class<E> type) {
		return this.received.stream().filter((r) -> type.isInstance(r.event())).toList();
	}

	private void poll() {
		while (this.running) {
			for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(100))) {
				Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
				Header id = record.headers().lastHeader(CloudEventHeaders.ID);
				if (type == null || id == null) {
					continue;
				}
				String typeName = new String(type.value(), StandardCharsets.UTF_8);
				if (EventTypes.forType(typeName).isPresent()) {
					this.received
						.add(new Received(record.topic(), record.key(), new String(id.value(), StandardCharsets.UTF_8),
								typeName, this.codec.decode(typeName, record.value()), headers(record)));
				}
			}
		}
		this.consumer.close();
	}

	@Override
	public void close() {
		this.running = false;
		this.producer.close();
	}

	private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (Header header : record.headers()) {
			headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
		}
		return headers;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * An event as it travelled.
	 *
	 * @param topic the topic
	 * @param key the record key
	 * @param id the {@code ce_id}
	 * @param type the {@code ce_type}
	 * @param event the decoded event
	 * @param headers every header of the record (the last value of a repeated one)
	 */
	public record Received(String topic, String key, String id, String type, SwitchboardEvent event,
			Map<String, String> headers) {

	}

}
