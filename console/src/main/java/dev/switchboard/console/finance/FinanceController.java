package dev.switchboard.console.finance;

import java.math.BigDecimal;
import java.util.Currency;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiProblem;

/**
 * Finance's pages: the month's usage, invoices with their lines, drafting and issuing
 * them, credit notes, the CSV download and the late-replies report. Every figure is the
 * billing service's; the console only shows it.
 */
@Controller
class FinanceController {

	private final Billing billing;

	FinanceController(Billing billing) {
		this.billing = billing;
	}

	@GetMapping("/console/finance")
	String finance() {
		return "redirect:/console/finance/usage";
	}

	@GetMapping("/console/finance/usage")
	Mono<String> usage(@RequestParam(required = false) @Nullable String month, Model model) {
		return this.billing.usage(month(month)).map((usage) -> {
			model.addAttribute("usage", usage);
			return "finance/usage";
		});
	}

	@GetMapping("/console/finance/invoices")
	Mono<String> invoices(@RequestParam(required = false) @Nullable String cursor, Model model) {
		return this.billing.invoices(cursor).map((page) -> {
			model.addAttribute("invoices", page.items());
			model.addAttribute("next", page.nextCursor());
			model.addAttribute("paged", cursor != null);
			return "finance/invoices";
		});
	}

	@PostMapping("/console/finance/invoices")
	Mono<String> draft(@ModelAttribute Draft draft) {
		return this.billing.draft((draft.month() != null) ? draft.month() : "")
			.map((invoice) -> "redirect:/console/finance/invoices/" + invoice.id());
	}

	@GetMapping("/console/finance/invoices/{id}")
	Mono<String> invoice(@PathVariable String id, Model model) {
		return this.billing.invoice(id).map((invoice) -> {
			model.addAttribute("invoice", invoice);
			return "finance/invoice";
		});
	}

	@PostMapping("/console/finance/invoices/{id}/issue")
	Mono<String> issue(@PathVariable String id) {
		return this.billing.issue(id).map((invoice) -> "redirect:/console/finance/invoices/" + invoice.id());
	}

	@PostMapping("/console/finance/invoices/{id}/credit-notes")
	Mono<String> creditNote(@PathVariable String id, @ModelAttribute CreditNote note) {
		return this.billing.invoice(id)
			.flatMap((invoice) -> this.billing.creditNote(id, minor(note.amount(), invoice.currency()),
					(note.reason() != null) ? note.reason() : ""))
			.map((created) -> "redirect:/console/finance/invoices/" + created.id());
	}

	/**
	 * The invoice's CSV, streamed from billing with its name; the user's token stays in
	 * the console.
	 */
	@GetMapping("/console/finance/invoices/{id}/csv")
	Mono<ResponseEntity<Flux<DataBuffer>>> csv(@PathVariable String id) {
		return this.billing.csv(id).map((upstream) -> {
			ContentDisposition disposition = upstream.getHeaders().getContentDisposition();
			String filename = (disposition.getFilename() != null) ? disposition.getFilename()
					: "invoice-" + id + ".csv";
			return ResponseEntity.ok()
				.contentType(Billing.CSV)
				.header(HttpHeaders.CONTENT_DISPOSITION,
						ContentDisposition.attachment().filename(filename).build().toString())
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.body((upstream.getBody() != null) ? upstream.getBody() : Flux.empty());
		});
	}

	@GetMapping("/console/finance/late-replies")
	Mono<String> lateReplies(@RequestParam(required = false) @Nullable String month,
			@RequestParam(required = false) @Nullable String cursor, Model model) {
		String checked = month(month);
		return this.billing.lateReplies(checked, cursor).map((page) -> {
			model.addAttribute("lines", page.items());
			model.addAttribute("month", checked);
			model.addAttribute("next", page.nextCursor());
			model.addAttribute("paged", cursor != null);
			return "finance/late-replies";
		});
	}

	// A month the API would refuse is left to it; an empty field means this month.
	private static @Nullable String month(@Nullable String month) {
		return (month != null && !month.isBlank()) ? month.strip() : null;
	}

	/** An amount typed in the currency's units, in minor units. */
	static long minor(@Nullable String amount, String currency) {
		try {
			int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
			return new BigDecimal((amount != null) ? amount.strip().replace(',', '.') : "").movePointRight(digits)
				.longValueExact();
		}
		catch (NumberFormatException | ArithmeticException ex) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST.value(), null,
					"The amount must be a number with at most the currency's decimals, e.g. 12.50", null);
		}
	}

	/**
	 * The draft form.
	 *
	 * @param month YYYY-MM
	 */
	record Draft(@Nullable String month) {

	}

	/**
	 * The credit note form.
	 *
	 * @param amount in the currency's units
	 * @param reason why
	 */
	record CreditNote(@Nullable String amount, @Nullable String reason) {

	}

}
