package dev.switchboard.billing.invoice;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.pricing.Currencies;
import dev.switchboard.billing.plan.PlanHistory;
import dev.switchboard.billing.usage.ConversationUsage;
import dev.switchboard.billing.web.Cursor;
import dev.switchboard.billing.web.Page;
import dev.switchboard.billing.web.Rejections;
import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/**
 * The finance API: usage to date, invoices, credit notes, CSV and recomputation. FINANCE
 * and OWNER only.
 */
@RestController
@RequestMapping("/api/v1/billing")
class InvoiceController {

	private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

	private static final String UUID_PATTERN = "{id}";

	private final InvoiceService service;

	private final Invoices invoices;

	private final ConversationUsage conversations;

	private final PlanHistory plans;

	private final Rejections rejections;

	private final Clock clock;

	InvoiceController(InvoiceService service, Invoices invoices, ConversationUsage conversations, PlanHistory plans,
			Rejections rejections, Clock clock) {
		this.service = service;
		this.invoices = invoices;
		this.conversations = conversations;
		this.plans = plans;
		this.rejections = rejections;
		this.clock = clock;
	}

	@Operation(operationId = "getUsage", summary = "Get the month's usage so far")
	@GetMapping("/usage")
	Mono<Usage> usage(Caller caller, @RequestParam(required = false) @Nullable String month) {
		finance(caller);
		YearMonth checked = month(month);
		return Mono
			.zip(this.service.preview(caller.tenantId(), checked),
					this.conversations.conversationsStartedIn(caller.tenantId(), checked),
					this.plans.currency(caller.tenantId()))
			.map((usage) -> {
				long total = usage.getT1().stream().mapToLong(InvoiceLine::amountMinor).sum();
				return new Usage(checked.toString(), usage.getT3(), usage.getT2(), usage.getT1(), total,
						Currencies.format(total, usage.getT3()));
			});
	}

	@Operation(operationId = "listInvoices", summary = "List the tenant's invoices")
	@GetMapping("/invoices")
	Mono<Page<InvoiceView>> list(Caller caller, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		finance(caller);
		return this.invoices.list(caller.tenantId(), Cursor.limit(limit, this.rejections),
				Cursor.decode(cursor, 3, this.rejections, (c) -> {
					java.time.LocalDate.parse(c.key(0));
					java.time.OffsetDateTime.parse(c.key(1));
					UUID.fromString(c.key(2));
				}));
	}

	@Operation(operationId = "draftInvoice", summary = "Draft the invoice of a month")
	@ApiResponse(responseCode = "201", description = "Drafted; Location names the invoice", useReturnTypeSchema = true)
	@PostMapping("/invoices")
	Mono<ResponseEntity<InvoiceView>> draft(Caller caller, @RequestBody DraftRequest request) {
		finance(caller);
		if (request.month() == null) {
			throw this.rejections.reject("invoice.month", "month is required, as YYYY-MM");
		}
		YearMonth month = this.rejections.month(request.month());
		return this.service.draft(caller.tenantId(), month)
			.map((draft) -> ResponseEntity.created(URI.create("/api/v1/billing/invoices/" + draft.id())).body(draft));
	}

	/** The invoice as JSON, or as CSV when the client asks for {@code text/csv}. */
	@Operation(operationId = "getInvoice", summary = "Get an invoice, as JSON or CSV")
	@GetMapping("/invoices/" + UUID_PATTERN)
	Mono<ResponseEntity<?>> get(Caller caller, @PathVariable UUID id,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept) {
		finance(caller);
		boolean csv = accept != null && MediaType.parseMediaTypes(accept)
			.stream()
			.anyMatch((type) -> type.getType().equals("text") && type.getSubtype().equals("csv"));
		return this.service.found(caller.tenantId(), id)
			.map((invoice) -> csv ? csvResponse(name(invoice) + ".csv", Csv.invoice(invoice))
					: ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(invoice));
	}

	@Operation(operationId = "getInvoiceCsv", summary = "Get an invoice as CSV")
	@GetMapping("/invoices/" + UUID_PATTERN + ".csv")
	Mono<ResponseEntity<String>> csv(Caller caller, @PathVariable UUID id) {
		finance(caller);
		return this.service.found(caller.tenantId(), id)
			.map((invoice) -> csvResponse(name(invoice) + ".csv", Csv.invoice(invoice)));
	}

	@Operation(operationId = "getInvoiceChargesCsv", summary = "Get an invoice's charges as CSV")
	@GetMapping("/invoices/" + UUID_PATTERN + "/charges.csv")
	Mono<ResponseEntity<String>> chargesCsv(Caller caller, @PathVariable UUID id) {
		finance(caller);
		return this.service.found(caller.tenantId(), id)
			.flatMap((invoice) -> this.service.chargesBehind(caller.tenantId(), invoice)
				.map((charges) -> csvResponse(name(invoice) + "-charges.csv", Csv.charges(charges))));
	}

	@Operation(operationId = "issueInvoice", summary = "Issue a draft invoice")
	@PostMapping("/invoices/" + UUID_PATTERN + "/issue")
	Mono<InvoiceView> issue(Caller caller, @PathVariable UUID id) {
		finance(caller);
		return this.service.issue(caller.tenantId(), id);
	}

	@Operation(operationId = "createCreditNote", summary = "Credit an issued invoice")
	@ApiResponse(responseCode = "201", description = "Credited; Location names the credit note",
			useReturnTypeSchema = true)
	@PostMapping("/invoices/" + UUID_PATTERN + "/credit-notes")
	Mono<ResponseEntity<InvoiceView>> creditNote(Caller caller, @PathVariable UUID id,
			@RequestBody CreditNoteRequest request) {
		finance(caller);
		if (request.amountMinor() == null || request.amountMinor() < 1) {
			throw this.rejections.reject("credit-note.amount", "amountMinor must be a positive amount in minor units");
		}
		if (request.reason() == null || request.reason().isBlank() || request.reason().length() > 500) {
			throw this.rejections.reject("credit-note.reason", "reason is required (at most 500 characters)");
		}
		return this.service.creditNote(caller.tenantId(), id, request.amountMinor(), request.reason().trim())
			.map((note) -> ResponseEntity.created(URI.create("/api/v1/billing/invoices/" + note.id())).body(note));
	}

	@Operation(operationId = "recomputeInvoice", summary = "Recompute an invoice from its charges and compare")
	@GetMapping("/invoices/" + UUID_PATTERN + "/recompute")
	Mono<Recomputation> recompute(Caller caller, @PathVariable UUID id) {
		finance(caller);
		return this.service.recompute(caller.tenantId(), id);
	}

	private static void finance(Caller caller) {
		caller.requireAny(Role.FINANCE, Role.OWNER);
	}

	private YearMonth month(@Nullable String month) {
		return (month != null) ? this.rejections.month(month)
				: YearMonth.from(this.clock.instant().atOffset(ZoneOffset.UTC));
	}

	private static String name(InvoiceView invoice) {
		return (invoice.number() != null) ? invoice.number() : "draft-" + invoice.month() + "-" + invoice.id();
	}

	private static ResponseEntity<String> csvResponse(String filename, String body) {
		return ResponseEntity.ok()
			.contentType(CSV)
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
			.body(body);
	}

	/**
	 * Usage of a month so far: what its invoice would say today.
	 *
	 * @param month the month
	 * @param currency ISO 4217 code
	 * @param conversations conversations that started in the month
	 * @param lines subscription and usage lines
	 * @param totalMinor their total in minor units
	 * @param total their total as a decimal amount
	 */
	record Usage(String month, String currency, long conversations, List<InvoiceLine> lines, long totalMinor,
			String total) {

	}

	/**
	 * Drafting a month's invoice (again).
	 *
	 * @param month {@code YYYY-MM}
	 */
	record DraftRequest(@Nullable String month) {

	}

	/**
	 * A correction of an issued invoice.
	 *
	 * @param amountMinor how much to credit, in minor units
	 * @param reason why
	 */
	record CreditNoteRequest(@Nullable Long amountMinor, @Nullable String reason) {

	}

}
