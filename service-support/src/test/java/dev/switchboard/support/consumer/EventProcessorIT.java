package dev.switchboard.support.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import dev.switchboard.events.CloudEventHeaders;
import dev.switchboard.events.DeviceChanged;
import dev.switchboard.events.EventCodec;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.support.outbox.OutboxProperties;
import dev.switchboard.support.outbox.OutboxRelay;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.Infrastructure;
import dev.switchboard.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link EventProcessor}'s batches against the real PostgreSQL and Kafka broker: one
 * transaction per batch, deduplication within and across batches, a record that cannot be
 * applied or read parked alone on the dead-letter topic, and a database that cannot be
 * reached thrown back to the listener container with nothing parked.
 */
class EventProcessorIT {

	private static final String CONSUMER = "test.consumer";

	private static final EventCodec codec = new EventCodec();

	private static Infrastructure infrastructure;

	private static String schema;

	private static KafkaTemplate<String, byte[]> kafka;

	private static DatabaseClient database;

	private static TransactionalOperator transactions;

	private String deadLetterTopic;

	private MeterRegistry meters;

	private EventProcessor processor;

	@BeforeAll
	static void connect() throws SQLException, IOException {
		infrastructure = RealInfrastructure.get();
		schema = "event_processor_it_" + UUID.randomUUID().toString().replace("-", "");
		Database db = infrastructure.database();
		try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
				Statement statement = connection.createStatement();
				InputStream migration = EventProcessorIT.class
					.getResourceAsStream("/db/support/V0_1__outbox_and_processed_events.sql")) {
			statement.execute("CREATE SCHEMA " + schema);
			statement.execute("SET search_path TO " + schema);
			statement.execute(new String(Objects.requireNonNull(migration).readAllBytes(), StandardCharsets.UTF_8));
			statement.execute("CREATE TABLE applied (seq BIGSERIAL PRIMARY KEY, key TEXT NOT NULL)");
		}
		ConnectionFactory connections = connectionFactory(db.port());
		database = DatabaseClient.create(connections);
		transactions = TransactionalOperator.create(new R2dbcTransactionManager(connections));
		kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				infrastructure.kafkaBootstrapServers(), ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
	}

	@AfterAll
	static void disconnect() throws SQLException {
		kafka.destroy();
		Database db = infrastructure.database();
		try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
				Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA " + schema + " CASCADE");
		}
	}

	@BeforeEach
	void processor() throws Exception {
		this.deadLetterTopic = "test.dlq." + UUID.randomUUID();
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(this.deadLetterTopic, 1, (short) 1))).all().get();
		}
		this.meters = new SimpleMeterRegistry();
		this.processor = processor(database);
	}

	@Test
	void whenABatchRepeatsAnEventOrHoldsOneAlreadyAppliedThenEachNewEventIsAppliedOnceInRecordOrder() {
		SwitchboardEvent first = device("first");
		SwitchboardEvent second = device("second");
		SwitchboardEvent third = device("third");
		this.processor.processAll(CONSUMER, batch(record("id-1", first)), Set.of(DeviceChanged.class), this::apply);

		this.processor.processAll(CONSUMER,
				batch(record("id-2", second), record("id-1", first), record("id-2", second), record("id-3", third)),
				Set.of(DeviceChanged.class), this::apply);

		assertThat(applied()).containsExactly("first", "second", "third");
		assertThat(count("processed")).isEqualTo(3);
		assertThat(count("duplicate")).isEqualTo(2);
		assertThat(deadLetters()).isEmpty();
	}

	@Test
	void whenOneEventOfABatchCannotBeAppliedThenTheOthersAreAppliedAndItAloneIsParkedWithTheReason() {
		SwitchboardEvent poison = device("poison");

		this.processor.processAll(CONSUMER,
				batch(record("ok-1", device("before")), record("bad", poison), record("ok-2", device("after"))),
				Set.of(DeviceChanged.class),
				(event) -> ((DeviceChanged) event).name().equals("poison")
						? Mono.error(new IllegalStateException("cannot apply " + ((DeviceChanged) event).name()))
						: apply(event));

		assertThat(applied()).containsExactly("before", "after");
		assertThat(processedKeys()).contains("ok-1", "ok-2").doesNotContain("bad");
		assertThat(count("failed")).isEqualTo(1);
		List<ConsumerRecord<String, byte[]>> parked = deadLetters();
		assertThat(parked).singleElement().satisfies((record) -> {
			assertThat(record.value()).isEqualTo(codec.encode(poison));
			assertThat(record.key()).isEqualTo("conversation-bad");
			assertThat(header(record, CloudEventHeaders.ID)).isEqualTo("bad");
			assertThat(header(record, DeadLetters.EXCEPTION_FQCN)).isEqualTo(IllegalStateException.class.getName());
			assertThat(header(record, DeadLetters.EXCEPTION_MESSAGE)).isEqualTo("cannot apply poison");
			assertThat(header(record, DeadLetters.ORIGINAL_TOPIC)).isEqualTo("switchboard.audit.events.v1");
			assertThat(header(record, DeadLetters.CONSUMER)).isEqualTo(CONSUMER);
		});
	}

	@Test
	void whenAnEventCannotBeReadThenItIsParkedAndTheRestOfTheBatchApplied() {
		Message<byte[]> unreadable = MessageBuilder.withPayload("{not json".getBytes(StandardCharsets.UTF_8))
			.setHeader(CloudEventHeaders.ID, "unreadable")
			.setHeader(CloudEventHeaders.TYPE, EventTypes.of(device("x")).type())
			.setHeader(KafkaHeaders.RECEIVED_KEY, "conversation-unreadable".getBytes(StandardCharsets.UTF_8))
			.build();

		this.processor.processAll(CONSUMER, batch(unreadable, record("readable", device("readable"))),
				Set.of(DeviceChanged.class), this::apply);

		assertThat(applied()).containsExactly("readable");
		assertThat(count("rejected")).isEqualTo(1);
		assertThat(deadLetters()).singleElement()
			.satisfies((record) -> assertThat(header(record, DeadLetters.EXCEPTION_FQCN))
				.isEqualTo(EventCodec.MalformedEventException.class.getName()));
	}

	@Test
	void whenARecordsTypeIsNotHandledThenItIsIgnoredWithoutItsPayloadBeingRead() {
		// A payload that cannot be read: had it been decoded, it would be parked.
		Message<byte[]> otherType = MessageBuilder.withPayload("{not json".getBytes(StandardCharsets.UTF_8))
			.setHeader(CloudEventHeaders.ID, "other".getBytes(StandardCharsets.UTF_8))
			.setHeader(CloudEventHeaders.TYPE, EventTypes.WINDOW_OPENED.getBytes(StandardCharsets.UTF_8))
			.setHeader(KafkaHeaders.RECEIVED_KEY, "conversation-other".getBytes(StandardCharsets.UTF_8))
			.build();

		this.processor.processAll(CONSUMER, batch(otherType, record("handled", device("handled"))),
				Set.of(DeviceChanged.class), this::apply);

		assertThat(applied()).containsExactly("handled");
		assertThat(processedKeys()).contains("handled").doesNotContain("other");
		assertThat(count("ignored")).isEqualTo(1);
		assertThat(count("rejected")).isZero();
		assertThat(deadLetters()).isEmpty();
		// the batch is timed and its records counted, the ignored one included
		assertThat(this.meters.get(EventProcessor.BATCH).tag("consumer", CONSUMER).timer().count()).isOne();
		assertThat(this.meters.get(EventProcessor.BATCH_RECORDS).tag("consumer", CONSUMER).summary().totalAmount())
			.isEqualTo(2);
	}

	@Test
	void whenTheDatabaseCannotBeReachedThenTheBatchIsThrownBackAndNothingIsParked() {
		EventProcessor unreachable = processor(DatabaseClient.create(connectionFactory(1)));

		assertThatThrownBy(() -> unreachable.processAll(CONSUMER, batch(record("lost?", device("lost?"))),
				Set.of(DeviceChanged.class), this::apply))
			.satisfies((ex) -> assertThat(BatchApplier.isInfrastructureFailure(ex)).isTrue());
		assertThat(count("failed")).isZero();
		assertThat(deadLetters()).isEmpty();
	}

	private EventProcessor processor(DatabaseClient client) {
		OutboxProperties properties = new OutboxProperties(Duration.ofMillis(200), 500, Duration.ofSeconds(10));
		OutboxRelay relay = new OutboxRelay(client, transactions, kafka, properties, "/test", this.meters);
		return new EventProcessor(client, transactions, codec, relay, this.meters, Clock.systemUTC(),
				new TraceContext(null, null), new DeadLetters(kafka, this.deadLetterTopic, Duration.ofSeconds(10)));
	}

	private Mono<Void> apply(SwitchboardEvent event) {
		return database.sql("INSERT INTO applied (key) VALUES (:key)")
			.bind("key", ((DeviceChanged) event).name())
			.then();
	}

	private static DeviceChanged device(String name) {
		return new DeviceChanged("tenant-it", "device-" + name, "agent-1", name, "PHONE", "ACTIVE", 1,
				Instant.parse("2026-11-23T10:00:00Z"));
	}

	/** One record as the Kafka binder's batch mode carries it. */
	private static Message<byte[]> record(String id, SwitchboardEvent event) {
		return MessageBuilder.withPayload(codec.encode(event))
			.setHeader(CloudEventHeaders.ID, id.getBytes(StandardCharsets.UTF_8))
			.setHeader(CloudEventHeaders.TYPE, EventTypes.of(event).type().getBytes(StandardCharsets.UTF_8))
			.setHeader(CloudEventHeaders.TIME, "2026-11-23T10:00:01Z".getBytes(StandardCharsets.UTF_8))
			.setHeader(KafkaHeaders.RECEIVED_KEY, ("conversation-" + id).getBytes(StandardCharsets.UTF_8))
			.build();
	}

	/**
	 * The records as one poll, shaped like the binder's batch: payloads, list-valued
	 * Kafka headers and each record's converted headers.
	 */
	private static Message<List<byte[]>> batch(Message<?>... records) {
		List<byte[]> payloads = new ArrayList<>();
		List<Object> keys = new ArrayList<>();
		List<String> topics = new ArrayList<>();
		List<Integer> partitions = new ArrayList<>();
		List<Long> offsets = new ArrayList<>();
		List<Map<String, Object>> converted = new ArrayList<>();
		for (Message<?> record : records) {
			payloads.add((byte[]) record.getPayload());
			keys.add(record.getHeaders().get(KafkaHeaders.RECEIVED_KEY));
			topics.add("switchboard.audit.events.v1");
			partitions.add(0);
			offsets.add((long) offsets.size());
			Map<String, Object> own = new HashMap<>();
			record.getHeaders().forEach((name, value) -> {
				if (name.startsWith("ce_")) {
					own.put(name, value);
				}
			});
			converted.add(own);
		}
		return MessageBuilder.withPayload(payloads)
			.setHeader(KafkaHeaders.RECEIVED_KEY, keys)
			.setHeader(KafkaHeaders.RECEIVED_TOPIC, topics)
			.setHeader(KafkaHeaders.RECEIVED_PARTITION, partitions)
			.setHeader(KafkaHeaders.OFFSET, offsets)
			.setHeader(KafkaHeaders.BATCH_CONVERTED_HEADERS, converted)
			.build();
	}

	private static List<String> applied() {
		List<String> keys = database.sql("SELECT key FROM applied ORDER BY seq")
			.map((row) -> Objects.requireNonNull(row.get(0, String.class)))
			.all()
			.collectList()
			.block();
		database.sql("DELETE FROM applied").then().block();
		return keys;
	}

	private static List<String> processedKeys() {
		return database.sql("SELECT event_id FROM processed_event WHERE consumer = :consumer")
			.bind("consumer", CONSUMER)
			.map((row) -> Objects.requireNonNull(row.get(0, String.class)))
			.all()
			.collectList()
			.block();
	}

	private double count(String outcome) {
		var counter = this.meters.find("switchboard.events.consumed")
			.tags("consumer", CONSUMER, "outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private List<ConsumerRecord<String, byte[]>> deadLetters() {
		List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
						ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
						ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
			consumer.subscribe(List.of(this.deadLetterTopic));
			// Whatever was parked was acknowledged before processAll returned: two quiet
			// seconds after the assignment find it all.
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return !consumer.assignment().isEmpty();
			});
		}
		return records;
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		var header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	private static ConnectionFactory connectionFactory(int port) {
		Database db = infrastructure.database();
		return new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
			.host(db.host())
			.port(port)
			.database(db.name())
			.username(db.username())
			.password(db.password())
			.schema(schema)
			.connectTimeout(Duration.ofSeconds(2))
			.build());
	}

}
