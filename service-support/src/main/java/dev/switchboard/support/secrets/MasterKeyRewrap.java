package dev.switchboard.support.secrets;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Moves stored data keys to the current master key: for every {@link SealedColumn}, the
 * rows whose envelope does not start with the primary's header are read in pages of the
 * row id, rewrapped ({@link Secrets#rewrap}) and written back only if unchanged
 * meanwhile. Runs once after the service starts (unless
 * {@code switchboard.secrets.rewrap-on-start} is false); replicas doing it at once only
 * repeat each other's work. An envelope that does not open stays as it is (and counts as
 * a decrypt failure). Counts {@code switchboard.secrets.rewrapped} by purpose.
 */
public class MasterKeyRewrap {

	private static final Logger logger = LoggerFactory.getLogger(MasterKeyRewrap.class);

	private final Secrets secrets;

	private final DatabaseClient database;

	private final List<SealedColumn> columns;

	private final SecretsProperties properties;

	private final MeterRegistry meters;

	public MasterKeyRewrap(Secrets secrets, DatabaseClient database, List<SealedColumn> columns,
			SecretsProperties properties, MeterRegistry meters) {
		this.secrets = secrets;
		this.database = database;
		this.columns = columns;
		this.properties = properties;
		this.meters = meters;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onStart() {
		if (this.properties.rewrapOnStart()) {
			rewrapAll().subscribe(null,
					(ex) -> logger.error("The master key rewrap stopped; it runs again at the next start", ex));
		}
	}

	/**
	 * Rewraps every stored data key that is not under the primary master key.
	 * @return how many were rewrapped
	 */
	public Mono<Long> rewrapAll() {
		return Flux.fromIterable(this.columns).concatMap(this::rewrap).reduce(0L, Long::sum);
	}

	private Mono<Long> rewrap(SealedColumn column) {
		AtomicLong unreadable = new AtomicLong();
		return page(column, null, 0L, unreadable).doOnNext((count) -> {
			if (unreadable.get() == 0) {
				logger.info("Master key rewrap: {} envelopes of {}.{} moved, all are now under {}", count,
						column.table(), column.column(), this.secrets.primaryKeyId());
			}
			else {
				logger.error(
						"Master key rewrap: {} envelopes of {}.{} moved to {}; {} could not be opened (their "
								+ "master key is not configured, or the row was changed) and stay as they are",
						count, column.table(), column.column(), this.secrets.primaryKeyId(), unreadable.get());
			}
		});
	}

	private Mono<Long> page(SealedColumn column, @Nullable Object after, long done, AtomicLong unreadable) {
		byte[] header = this.secrets.primaryHeader();
		String sql = "SELECT " + column.tenantColumn() + " AS t, " + column.idColumn() + " AS i, " + column.column()
				+ " AS s FROM " + column.table() + " WHERE " + column.column() + " IS NOT NULL AND substring("
				+ column.column() + " FROM 1 FOR " + header.length + ") <> :header"
				+ ((after != null) ? " AND " + column.idColumn() + " > :after" : "") + " ORDER BY " + column.idColumn()
				+ " LIMIT :batch";
		DatabaseClient.GenericExecuteSpec select = this.database.sql(sql)
			.bind("header", header)
			.bind("batch", this.properties.rewrapBatch());
		if (after != null) {
			select = select.bind("after", after);
		}
		return select
			.map((row) -> new Row(Objects.requireNonNull(row.get("t", String.class)),
					Objects.requireNonNull(row.get("i")), Objects.requireNonNull(row.get("s", byte[].class))))
			.all()
			.collectList()
			.flatMap((rows) -> Flux.fromIterable(rows)
				.concatMap((row) -> update(column, row, unreadable))
				.reduce(0L, Long::sum)
				.flatMap((count) -> (rows.size() < this.properties.rewrapBatch()) ? Mono.just(done + count)
						: page(column, rows.get(rows.size() - 1).id(), done + count, unreadable)));
	}

	private Mono<Long> update(SealedColumn column, Row row, AtomicLong unreadable) {
		byte[] rewrapped;
		try {
			rewrapped = this.secrets.rewrap(row.sealed(), column.context(row.tenantId(), row.id()));
		}
		catch (SecretUnreadableException ex) {
			// Counted by Secrets; the rest of the column is still moved.
			unreadable.incrementAndGet();
			return Mono.just(0L);
		}
		if (rewrapped == null) {
			return Mono.just(0L);
		}
		return this.database
			.sql("UPDATE " + column.table() + " SET " + column.column() + " = :new WHERE " + column.idColumn()
					+ " = :id AND " + column.column() + " = :old")
			.bind("new", rewrapped)
			.bind("id", row.id())
			.bind("old", row.sealed())
			.fetch()
			.rowsUpdated()
			.doOnNext((updated) -> this.meters.counter("switchboard.secrets.rewrapped", "purpose", column.purpose())
				.increment(updated));
	}

	private record Row(String tenantId, Object id, byte[] sealed) {

	}

}
