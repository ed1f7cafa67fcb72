package dev.switchboard.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.pricing.Currencies;
import dev.switchboard.billing.web.Cursor;
import dev.switchboard.billing.web.Page;

import static dev.switchboard.billing.web.Rows.date;
import static dev.switchboard.billing.web.Rows.instant;
import static dev.switchboard.billing.web.Rows.instantOrNull;
import static dev.switchboard.billing.web.Rows.utc;
import static dev.switchboard.billing.web.Rows.value;

/** Invoices, their lines and the charges behind them, always within one tenant. */
@Repository
class Invoices {

	private final DatabaseClient database;

	Invoices(DatabaseClient database) {
		this.database = database;
	}

	Mono<Void> lock(String tenantId) {
		return this.database.sql("SELECT pg_advisory_xact_lock(hashtext('billing-invoice:' || :tenant))")
			.bind("tenant", tenantId)
			.then();
	}

	Mono<InvoiceView> find(String tenantId, UUID id) {
		return this.database.sql("SELECT * FROM invoice WHERE id = :id AND tenant_id = :tenant")
			.bind("id", id)
			.bind("tenant", tenantId)
			.map(Invoices::header)
			.one()
			.flatMap(this::withLines);
	}

	Mono<InvoiceView> findInvoiceOf(String tenantId, YearMonth month) {
		return this.database
			.sql("SELECT * FROM invoice WHERE tenant_id = :tenant AND month = :month AND kind = 'INVOICE'")
			.bind("tenant", tenantId)
			.bind("month", month.atDay(1))
			.map(Invoices::header)
			.one()
			.flatMap(this::withLines);
	}

	Mono<Page<InvoiceView>> list(String tenantId, int limit, @Nullable Cursor after) {
		String keyset = (after != null) ? " AND (month, created_at, id) < (:afterMonth, :afterAt, :afterId)" : "";
		DatabaseClient.GenericExecuteSpec spec = this.database
			.sql("SELECT * FROM invoice WHERE tenant_id = :tenant" + keyset
					+ " ORDER BY month DESC, created_at DESC, id DESC LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit + 1);
		if (after != null) {
			spec = spec.bind("afterMonth", LocalDate.parse(after.key(0)))
				.bind("afterAt", java.time.OffsetDateTime.parse(after.key(1)))
				.bind("afterId", UUID.fromString(after.key(2)));
		}
		return spec.map(Invoices::header)
			.all()
			.concatMap(this::withLines)
			.collectList()
			.map((rows) -> Page.of(rows, limit, (last) -> Cursor.of(YearMonth.parse(last.month()).atDay(1).toString(),
					utc(last.createdAt()).toString(), last.id().toString())));
	}

	Mono<Void> insert(UUID id, String tenantId, String kind, YearMonth month, String currency, @Nullable UUID corrects,
			@Nullable String reason, Instant now) {
		return this.database.sql("""
				INSERT INTO invoice (id, tenant_id, kind, status, month, currency, total_minor, corrects, reason,
				                     created_at)
				VALUES (:id, :tenant, :kind, 'DRAFT', :month, :currency, 0, :corrects, :reason, :now)""")
			.bind("id", id)
			.bind("tenant", tenantId)
			.bind("kind", kind)
			.bind("month", month.atDay(1))
			.bind("currency", currency)
			.bind("corrects", Parameter.fromOrEmpty(corrects, UUID.class))
			.bind("reason", Parameter.fromOrEmpty(reason, String.class))
			.bind("now", utc(now))
			.then();
	}

	/** Replaces a draft's lines and the charges behind it, and sets its total. */
	Mono<Void> replaceLines(UUID id, List<InvoiceLine> lines, List<String> wamids) {
		long total = lines.stream().mapToLong(InvoiceLine::amountMinor).sum();
		Mono<Void> clear = this.database.sql("DELETE FROM invoice_line WHERE invoice_id = :id")
			.bind("id", id)
			.then()
			.then(this.database.sql("DELETE FROM invoice_charge WHERE invoice_id = :id").bind("id", id).then());
		Flux<Void> insertLines = Flux.range(0, lines.size()).concatMap((index) -> {
			InvoiceLine line = lines.get(index);
			return this.database.sql("""
					INSERT INTO invoice_line (invoice_id, line_no, line_key, kind, description, quantity, unit_price,
					                          amount_minor)
					VALUES (:id, :no, :key, :kind, :description, :quantity, :price, :amount)""")
				.bind("id", id)
				.bind("no", index + 1)
				.bind("key", line.key())
				.bind("kind", line.kind())
				.bind("description", line.description())
				.bind("quantity", line.quantity())
				.bind("price", line.unitPrice())
				.bind("amount", line.amountMinor())
				.then();
		});
		Flux<Void> insertCharges = Flux.fromIterable(wamids)
			.concatMap(
					(wamid) -> this.database.sql("INSERT INTO invoice_charge (invoice_id, wamid) VALUES (:id, :wamid)")
						.bind("id", id)
						.bind("wamid", wamid)
						.then());
		return clear.thenMany(insertLines)
			.thenMany(insertCharges)
			.then(this.database.sql("UPDATE invoice SET total_minor = :total WHERE id = :id")
				.bind("total", total)
				.bind("id", id)
				.then());
	}

	Mono<Void> issue(UUID id, String number, Instant now) {
		return this.database
			.sql("UPDATE invoice SET status = 'ISSUED', number = :number, issued_at = :now WHERE id = :id")
			.bind("number", number)
			.bind("now", utc(now))
			.bind("id", id)
			.then();
	}

	Mono<Long> credited(UUID invoiceId) {
		return this.database
			.sql("SELECT COALESCE(-sum(total_minor), 0)::bigint AS credited FROM invoice"
					+ " WHERE corrects = :id AND kind = 'CREDIT_NOTE'")
			.bind("id", invoiceId)
			.map((row) -> value(row, "credited", Long.class))
			.one();
	}

	Mono<List<String>> chargeWamids(UUID invoiceId) {
		return this.database.sql("SELECT wamid FROM invoice_charge WHERE invoice_id = :id ORDER BY wamid")
			.bind("id", invoiceId)
			.map((row) -> value(row, "wamid", String.class))
			.all()
			.collectList();
	}

	private Mono<InvoiceView> withLines(InvoiceView header) {
		return this.database.sql("SELECT * FROM invoice_line WHERE invoice_id = :id ORDER BY line_no")
			.bind("id", header.id())
			.map((row) -> new InvoiceLine(value(row, "line_key", String.class), value(row, "kind", String.class),
					value(row, "description", String.class), value(row, "quantity", Long.class),
					value(row, "unit_price", BigDecimal.class), value(row, "amount_minor", Long.class)))
			.all()
			.collectList()
			.map((lines) -> new InvoiceView(header.id(), header.number(), header.kind(), header.status(),
					header.month(), header.currency(), lines, header.totalMinor(), header.total(), header.corrects(),
					header.reason(), header.createdAt(), header.issuedAt()));
	}

	private static InvoiceView header(Readable row) {
		String currency = value(row, "currency", String.class);
		long total = value(row, "total_minor", Long.class);
		return new InvoiceView(value(row, "id", UUID.class), row.get("number", String.class),
				value(row, "kind", String.class), value(row, "status", String.class),
				YearMonth.from(date(row, "month")).toString(), currency, List.of(), total,
				Currencies.format(total, currency), row.get("corrects", UUID.class), row.get("reason", String.class),
				instant(row, "created_at"), instantOrNull(row, "issued_at"));
	}

}
