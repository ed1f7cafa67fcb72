package dev.switchboard.console.finance;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;

/** The finance API (billing service) as the console calls it with the user's token. */
@Component
class Billing {

	static final MediaType CSV = new MediaType("text", "csv");

	/** A page of a listing: billing's largest. */
	static final int PAGE = 100;

	private final ApiClient api;

	Billing(ApiClient api) {
		this.api = api;
	}

	Mono<Usage> usage(@Nullable String month) {
		return this.api.get((uri) -> uri.path("/api/v1/billing/usage")
			.queryParamIfPresent("month", java.util.Optional.ofNullable(month))
			.build(), new ParameterizedTypeReference<Usage>() {
			});
	}

	Mono<Page<Invoice>> invoices(@Nullable String cursor) {
		return this.api.get((uri) -> uri.path("/api/v1/billing/invoices")
			.queryParam("limit", PAGE)
			.queryParamIfPresent("cursor", java.util.Optional.ofNullable(cursor))
			.build(), new ParameterizedTypeReference<Page<Invoice>>() {
			});
	}

	Mono<Invoice> invoice(String id) {
		return this.api.get((uri) -> uri.path("/api/v1/billing/invoices/{id}").build(id),
				new ParameterizedTypeReference<Invoice>() {
				});
	}

	Mono<Invoice> draft(String month) {
		return this.api.call(HttpMethod.POST, (uri) -> uri.path("/api/v1/billing/invoices").build(),
				Map.of("month", month), new ParameterizedTypeReference<Invoice>() {
				});
	}

	Mono<Invoice> issue(String id) {
		return this.api.call(HttpMethod.POST, (uri) -> uri.path("/api/v1/billing/invoices/{id}/issue").build(id), null,
				new ParameterizedTypeReference<Invoice>() {
				});
	}

	Mono<Invoice> creditNote(String id, long amountMinor, String reason) {
		return this.api.call(HttpMethod.POST, (uri) -> uri.path("/api/v1/billing/invoices/{id}/credit-notes").build(id),
				Map.of("amountMinor", amountMinor, "reason", reason), new ParameterizedTypeReference<Invoice>() {
				});
	}

	/** The invoice's CSV as billing writes it, relayed as it arrives. */
	Mono<ResponseEntity<Flux<DataBuffer>>> csv(String id) {
		return this.api.stream((uri) -> uri.path("/api/v1/billing/invoices/{id}.csv").build(id), CSV);
	}

	Mono<Page<LateReplies>> lateReplies(@Nullable String month, @Nullable String cursor) {
		return this.api.get((uri) -> uri.path("/api/v1/billing/late-replies")
			.queryParamIfPresent("month", java.util.Optional.ofNullable(month))
			.queryParam("limit", PAGE)
			.queryParamIfPresent("cursor", java.util.Optional.ofNullable(cursor))
			.build(), new ParameterizedTypeReference<Page<LateReplies>>() {
			});
	}

	/**
	 * A page of the API.
	 *
	 * @param <T> the items' type
	 * @param items the items
	 * @param nextCursor the next page's cursor
	 */
	record Page<T>(List<T> items, @Nullable String nextCursor) {

	}

	/**
	 * A month's usage so far: what its invoice would say today.
	 *
	 * @param month the month
	 * @param currency the currency
	 * @param conversations conversations started in the month
	 * @param lines the lines
	 * @param totalMinor their total in minor units
	 */
	record Usage(String month, String currency, long conversations, List<Line> lines, long totalMinor) {

	}

	/**
	 * An invoice or credit note.
	 *
	 * @param id its id
	 * @param number its number once issued
	 * @param kind INVOICE or CREDIT_NOTE
	 * @param status DRAFT or ISSUED
	 * @param month the month it bills
	 * @param currency the currency
	 * @param lines its lines
	 * @param totalMinor its total in minor units
	 * @param corrects the invoice a credit note corrects
	 * @param reason why a credit note was issued
	 * @param createdAt when it was created
	 * @param issuedAt when it was issued
	 */
	record Invoice(String id, @Nullable String number, String kind, String status, String month, String currency,
			List<Line> lines, long totalMinor, @Nullable String corrects, @Nullable String reason, Instant createdAt,
			@Nullable Instant issuedAt) {

		public boolean draft() {
			return "DRAFT".equals(this.status);
		}

		public boolean creditable() {
			return "ISSUED".equals(this.status) && "INVOICE".equals(this.kind);
		}

	}

	/**
	 * A line of an invoice or of the usage.
	 *
	 * @param kind SUBSCRIPTION, USAGE or CREDIT
	 * @param description what it is
	 * @param quantity days or messages
	 * @param unitPrice the price of one
	 * @param amountMinor the amount in minor units
	 */
	record Line(String kind, String description, long quantity, BigDecimal unitPrice, long amountMinor) {

	}

	/**
	 * One agent's late replies in a team.
	 *
	 * @param teamId the team, if the conversation was assigned
	 * @param agentId the agent
	 * @param conversations conversations answered after their window expired
	 * @param lateReplies replies sent late
	 * @param cost what they cost
	 * @param currency the currency
	 */
	record LateReplies(@Nullable String teamId, String agentId, long conversations, long lateReplies, BigDecimal cost,
			String currency) {

	}

}
