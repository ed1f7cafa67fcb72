package dev.switchboard.billing.invoice;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.charge.ChargeLine;
import dev.switchboard.billing.charge.Charges;
import dev.switchboard.billing.charge.LedgerReplay;
import dev.switchboard.billing.plan.PlanHistory;
import dev.switchboard.billing.web.Rejections;

/**
 * Drafts, issues, credits and recomputes invoices. A draft is rebuilt from the recorded
 * charges and the plan history whenever it is drafted again or issued; an issued invoice
 * never changes (the database refuses it too); corrections are credit notes.
 */
@Service
class InvoiceService {

	private final Invoices invoices;

	private final InvoiceCalculator calculator;

	private final Charges charges;

	private final LedgerReplay replay;

	private final PlanHistory plans;

	private final TransactionalOperator transactions;

	private final Rejections rejections;

	private final MeterRegistry meters;

	private final Clock clock;

	InvoiceService(Invoices invoices, InvoiceCalculator calculator, Charges charges, LedgerReplay replay,
			PlanHistory plans, TransactionalOperator transactions, Rejections rejections, MeterRegistry meters,
			Clock clock) {
		this.invoices = invoices;
		this.calculator = calculator;
		this.charges = charges;
		this.replay = replay;
		this.plans = plans;
		this.transactions = transactions;
		this.rejections = rejections;
		this.meters = meters;
		this.clock = clock;
	}

	/** The lines of a month so far, from the recorded charges; nothing is stored. */
	Mono<List<InvoiceLine>> preview(String tenantId, YearMonth month) {
		return this.charges.month(tenantId, month).flatMap((lines) -> this.calculator.lines(tenantId, month, lines));
	}

	Mono<InvoiceView> draft(String tenantId, YearMonth month) {
		return this.invoices.lock(tenantId)
			.then(this.invoices.findInvoiceOf(tenantId, month)
				.map((invoice) -> Optional.of(invoice.id()))
				.defaultIfEmpty(Optional.empty()))
			.flatMap((existing) -> existing.isPresent() ? refresh(tenantId, existing.get()) : create(tenantId, month))
			.as(this.transactions::transactional)
			.flatMap((id) -> this.invoices.find(tenantId, id));
	}

	private Mono<UUID> create(String tenantId, YearMonth month) {
		UUID id = UUID.randomUUID();
		return this.plans.currency(tenantId)
			.flatMap((currency) -> this.invoices.insert(id, tenantId, "INVOICE", month, currency, null, null,
					this.clock.instant()))
			.then(refresh(tenantId, id));
	}

	private Mono<UUID> refresh(String tenantId, UUID id) {
		return this.invoices.find(tenantId, id).flatMap((invoice) -> {
			if (!invoice.status().equals("DRAFT")) {
				return Mono.error(this.rejections.reject(HttpStatus.CONFLICT, "invoice.issued",
						"Invoice " + invoice.number() + " is issued and cannot change; issue a credit note"));
			}
			YearMonth month = YearMonth.parse(invoice.month());
			return this.charges.month(tenantId, month)
				.flatMap((lines) -> this.calculator.lines(tenantId, month, lines)
					.flatMap((invoiceLines) -> this.invoices.replaceLines(id, invoiceLines,
							lines.stream().map(ChargeLine::wamid).toList())))
				.thenReturn(id);
		});
	}

	Mono<InvoiceView> issue(String tenantId, UUID id) {
		YearMonth current = YearMonth.from(this.clock.instant().atOffset(ZoneOffset.UTC));
		return this.invoices.lock(tenantId).then(found(tenantId, id)).flatMap((invoice) -> {
			if (!invoice.kind().equals("INVOICE")) {
				return Mono.error(this.rejections.reject(HttpStatus.CONFLICT, "invoice.kind",
						"A credit note is issued when it is created"));
			}
			if (!YearMonth.parse(invoice.month()).isBefore(current)) {
				return Mono.error(this.rejections.reject(HttpStatus.CONFLICT, "invoice.month-open",
						"The month " + invoice.month() + " is not over yet; it can be issued from "
								+ YearMonth.parse(invoice.month()).plusMonths(1).atDay(1)));
			}
			String number = "INV-" + invoice.month().replace("-", "") + "-"
					+ id.toString().substring(0, 8).toUpperCase(Locale.ROOT);
			return refresh(tenantId, id).then(this.invoices.issue(id, number, this.clock.instant()));
		})
			.as(this.transactions::transactional)
			.then(Mono.defer(() -> this.invoices.find(tenantId, id)))
			.doOnNext((issued) -> this.meters.counter("switchboard.billing.invoices.issued").increment());
	}

	Mono<InvoiceView> creditNote(String tenantId, UUID id, long amountMinor, String reason) {
		UUID creditId = UUID.randomUUID();
		return this.invoices.lock(tenantId).then(found(tenantId, id)).flatMap((invoice) -> {
			if (!invoice.kind().equals("INVOICE") || !invoice.status().equals("ISSUED")) {
				return Mono.error(this.rejections.reject(HttpStatus.CONFLICT, "credit-note.not-issued",
						"Only an issued invoice can be credited; a draft is corrected by drafting it again"));
			}
			return this.invoices.credited(id).flatMap((credited) -> {
				if (amountMinor > invoice.totalMinor() - credited) {
					return Mono.error(this.rejections.reject("credit-note.amount",
							"At most " + (invoice.totalMinor() - credited) + " minor units are left to credit"));
				}
				YearMonth month = YearMonth.parse(invoice.month());
				InvoiceLine line = new InvoiceLine("CREDIT|" + id, "CREDIT",
						"Credit on " + invoice.number() + ": " + reason, 1, java.math.BigDecimal.ZERO.setScale(6),
						-amountMinor);
				String number = "CN-" + invoice.month().replace("-", "") + "-"
						+ creditId.toString().substring(0, 8).toUpperCase(Locale.ROOT);
				return this.invoices
					.insert(creditId, tenantId, "CREDIT_NOTE", month, invoice.currency(), id, reason,
							this.clock.instant())
					.then(this.invoices.replaceLines(creditId, List.of(line), List.of()))
					.then(this.invoices.issue(creditId, number, this.clock.instant()));
			});
		}).as(this.transactions::transactional).then(Mono.defer(() -> this.invoices.find(tenantId, creditId)));
	}

	Mono<Recomputation> recompute(String tenantId, UUID id) {
		return found(tenantId, id).flatMap((invoice) -> {
			if (!invoice.kind().equals("INVOICE")) {
				return Mono.error(this.rejections.reject(HttpStatus.CONFLICT, "recompute.kind",
						"Only invoices are recomputed; a credit note is not derived from events"));
			}
			YearMonth month = YearMonth.parse(invoice.month());
			return this.replay.month(tenantId, month)
				.flatMap((lines) -> this.calculator.lines(tenantId, month, lines))
				.map((recomputed) -> compare(invoice, recomputed));
		});
	}

	static Recomputation compare(InvoiceView invoice, List<InvoiceLine> recomputed) {
		Map<String, InvoiceLine> invoiced = new LinkedHashMap<>();
		invoice.lines().forEach((line) -> invoiced.put(line.key(), line));
		Map<String, InvoiceLine> rebuilt = new LinkedHashMap<>();
		recomputed.forEach((line) -> rebuilt.put(line.key(), line));
		List<Recomputation.Difference> differences = new ArrayList<>();
		invoiced.forEach((key, line) -> {
			InvoiceLine other = rebuilt.get(key);
			if (other == null || other.quantity() != line.quantity() || other.amountMinor() != line.amountMinor()
					|| other.unitPrice().compareTo(line.unitPrice()) != 0) {
				differences.add(new Recomputation.Difference(key, line.description(), line.quantity(),
						(other != null) ? other.quantity() : null, line.amountMinor(),
						(other != null) ? other.amountMinor() : null));
			}
		});
		rebuilt.forEach((key, line) -> {
			if (!invoiced.containsKey(key)) {
				differences.add(new Recomputation.Difference(key, line.description(), null, line.quantity(), null,
						line.amountMinor()));
			}
		});
		long total = recomputed.stream().mapToLong(InvoiceLine::amountMinor).sum();
		return new Recomputation(invoice.id(), invoice.month(), invoice.status(), invoice.totalMinor(), total,
				differences.isEmpty() && total == invoice.totalMinor(), List.copyOf(differences));
	}

	Mono<InvoiceView> found(String tenantId, UUID id) {
		return this.invoices.find(tenantId, id)
			.switchIfEmpty(Mono.error(
					() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No invoice " + id + " in this tenant")));
	}

	Mono<List<ChargeLine>> chargesBehind(String tenantId, InvoiceView invoice) {
		return this.invoices.chargeWamids(invoice.id())
			.map(Set::copyOf)
			.flatMap((wamids) -> this.charges.month(tenantId, YearMonth.parse(invoice.month()))
				.map((lines) -> lines.stream().filter((line) -> wamids.contains(line.wamid())).toList()));
	}

}
