package dev.switchboard.support.outbox;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import dev.switchboard.events.CloudEventHeaders;

/**
 * Publishes outbox rows to Kafka, in id order, and deletes them once the broker
 * acknowledged all of them. One relay at a time per schema holds a transaction-scoped
 * advisory lock, so replicas never publish out of order; a crash between the
 * acknowledgement and the commit publishes the batch again, which the consumers'
 * deduplication absorbs.
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(OutboxRelay.class);

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final KafkaTemplate<String, byte[]> kafka;

	private final OutboxProperties properties;

	private final String source;

	private final Counter published;

	private final Timer batches;

	private final Object monitor = new Object();

	private volatile boolean running;

	private boolean signalled;

	private @Nullable Thread worker;

	public OutboxRelay(DatabaseClient database, TransactionalOperator transactions, KafkaTemplate<String, byte[]> kafka,
			OutboxProperties properties, String source, MeterRegistry meters) {
		this.database = database;
		this.transactions = transactions;
		this.kafka = kafka;
		this.properties = properties;
		this.source = source;
		this.published = Counter.builder("switchboard.outbox.published")
			.description("Events the outbox relay published to Kafka")
			.register(meters);
		this.batches = Timer.builder("switchboard.outbox.relay")
			.description("Batches the outbox relay published: from reading the rows to the commit of their deletion")
			.register(meters);
	}

	/** Wakes the relay up: a transaction that wrote to the outbox has committed. */
	public void signal() {
		synchronized (this.monitor) {
			this.signalled = true;
			this.monitor.notifyAll();
		}
	}

	/**
	 * Publishes one batch.
	 * @return how many events were published
	 */
	public Mono<Integer> relayOnce() {
		return this.database.sql("SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox'))")
			.map((row) -> Boolean.TRUE.equals(row.get(0, Boolean.class)))
			.one()
			.flatMap((locked) -> locked ? publishBatch() : Mono.just(0))
			.as(this.transactions::transactional)
			.defaultIfEmpty(0);
	}

	private Mono<Integer> publishBatch() {
		return this.database
			// The payload as text: a bytea column comes back as hex, which the driver
			// decodes with a regular expression (up to a quarter of the relay's CPU).
			.sql("SELECT id, event_id, topic, message_key, event_type, tenant_id,"
					+ " convert_from(payload, 'UTF8') AS payload, traceparent, created_at"
					+ " FROM outbox ORDER BY id LIMIT :limit")
			.bind("limit", this.properties.batchSize())
			.map((row) -> new OutboxRow(row.get("id", Long.class), row.get("event_id", UUID.class),
					row.get("topic", String.class), row.get("message_key", String.class),
					row.get("event_type", String.class), row.get("tenant_id", String.class),
					Objects.requireNonNull(row.get("payload", String.class)).getBytes(StandardCharsets.UTF_8),
					row.get("traceparent", String.class), row.get("created_at", OffsetDateTime.class)))
			.all()
			.collectList()
			.flatMap((rows) -> rows.isEmpty() ? Mono.just(0) : send(rows).then(delete(rows)));
	}

	private Mono<Void> send(List<OutboxRow> rows) {
		List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
		for (OutboxRow row : rows) {
			acks.add(this.kafka.send(toRecord(row)));
		}
		return Mono.fromFuture(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)))
			.timeout(this.properties.sendTimeout());
	}

	private Mono<Integer> delete(List<OutboxRow> rows) {
		// By id, never by range: a transaction that took a lower id may commit after this
		// batch was read.
		Long[] ids = rows.stream().map(OutboxRow::id).toArray(Long[]::new);
		return this.database.sql("DELETE FROM outbox WHERE id = ANY(:ids)")
			.bind("ids", ids)
			.fetch()
			.rowsUpdated()
			.map((deleted) -> {
				this.published.increment(rows.size());
				return rows.size();
			});
	}

	private ProducerRecord<String, byte[]> toRecord(OutboxRow row) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
		header(record, CloudEventHeaders.ID, row.eventId().toString());
		header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
		header(record, CloudEventHeaders.TYPE, row.type());
		header(record, CloudEventHeaders.SOURCE, this.source);
		header(record, CloudEventHeaders.TIME, row.createdAt().toInstant().toString());
		header(record, CloudEventHeaders.SUBJECT, row.key());
		header(record, CloudEventHeaders.TENANT, row.tenantId());
		header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
		if (row.traceparent() != null) {
			// W3C trace context, as Kafka clients read it and as the CloudEvents tracing
			// extension names it.
			header(record, "traceparent", row.traceparent());
			header(record, CloudEventHeaders.TRACEPARENT, row.traceparent());
		}
		return record;
	}

	private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
		record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
	}

	private void loop() {
		while (this.running) {
			int published;
			long start = System.nanoTime();
			try {
				published = relayOnce().block();
				if (published > 0) {
					this.batches.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Outbox relay failed, retrying after {}", this.properties.pollInterval(), ex);
				published = 0;
			}
			if (published < this.properties.batchSize()) {
				awaitSignal();
			}
		}
	}

	private void awaitSignal() {
		synchronized (this.monitor) {
			if (!this.signalled && this.running) {
				try {
					this.monitor.wait(this.properties.pollInterval().toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.running = false;
				}
			}
			this.signalled = false;
		}
	}

	@Override
	public void start() {
		this.running = true;
		Thread thread = new Thread(this::loop, "outbox-relay");
		thread.setDaemon(true);
		this.worker = thread;
		thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		signal();
		Thread thread = this.worker;
		if (thread != null) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private record OutboxRow(Long id, UUID eventId, String topic, String key, String type, String tenantId,
			byte[] payload, @Nullable String traceparent, OffsetDateTime createdAt) {
	}

}
