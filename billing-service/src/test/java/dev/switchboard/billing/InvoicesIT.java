package dev.switchboard.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.MessageSent;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
class InvoicesIT {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient database;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenLastMonthIsIssuedThenItEqualsItsRecomputationAndItsCsvTotalsMatch() {
		String tenant = "tenant-" + UUID.randomUUID();
		YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
		Instant start = month.atDay(3).atStartOfDay().toInstant(ZoneOffset.UTC);
		Conversation italy = new Conversation(events, tenant, "393331112222");
		Conversation germany = new Conversation(events, tenant, "4915199998888");
		italy.customerWrites(start);
		italy.delivered(italy.reply("agent-1", start.plus(1, ChronoUnit.HOURS)));
		italy.delivered(italy.template("agent-1", "UTILITY", start.plus(2, ChronoUnit.HOURS)));
		italy.delivered(italy.template("agent-1", "MARKETING", start.plus(3, ChronoUnit.HOURS)));
		italy.customerWrites(start.plus(4, ChronoUnit.DAYS));
		italy.delivered(italy.template("agent-2", "UTILITY", start.plus(6, ChronoUnit.DAYS)));
		germany.customerWrites(start.plus(1, ChronoUnit.DAYS));
		for (int i = 0; i < 3; i++) {
			germany.delivered(germany.template("agent-2", "MARKETING",
					start.plus(1, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS).plusSeconds(i)));
		}
		MessageSent failed = germany.template("agent-2", "MARKETING", start.plus(3, ChronoUnit.DAYS));
		germany.status(failed, "FAILED", failed.sentAt().plusSeconds(5));
		awaitCharges(tenant, 7);

		WebTestClient finance = Api.as(this.http, tenant, "FINANCE");
		Map<String, Object> draft = finance.post()
			.uri("/api/v1/billing/invoices")
			.bodyValue(Map.of("month", month.toString()))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
		assertThat(draft).containsEntry("status", "DRAFT").containsEntry("currency", "EUR");
		String id = (String) draft.get("id");
		// 0.0264 (IT utility, late) + 0.0611 (IT marketing) + 3 × 0.1131 (DE marketing) =
		// 0.4268 EUR
		// rounded per line: 3 + 6 + 34 = 43 cents
		assertThat(draft.get("totalMinor")).isEqualTo(43);

		Map<String, Object> issued = finance.post()
			.uri("/api/v1/billing/invoices/" + id + "/issue")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
		assertThat(issued).containsEntry("status", "ISSUED").containsEntry("totalMinor", 43);
		assertThat((String) issued.get("number")).startsWith("INV-" + month.toString().replace("-", ""));

		finance.get()
			.uri("/api/v1/billing/invoices/" + id + "/recompute")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.matches")
			.isEqualTo(true)
			.jsonPath("$.recomputedTotalMinor")
			.isEqualTo(43)
			.jsonPath("$.differences.length()")
			.isEqualTo(0);

		List<String[]> invoiceCsv = csv(finance.get()
			.uri("/api/v1/billing/invoices/" + id + ".csv")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/csv")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
		BigDecimal linesSum = invoiceCsv.stream()
			.skip(1)
			.filter((row) -> !row[5].equals("TOTAL"))
			.map((row) -> new BigDecimal(row[9]))
			.reduce(BigDecimal.ZERO, BigDecimal::add);
		assertThat(invoiceCsv.getLast()[5]).isEqualTo("TOTAL");
		assertThat(new BigDecimal(invoiceCsv.getLast()[9])).isEqualByComparingTo(linesSum).isEqualByComparingTo("0.43");
		String byAccept = finance.get()
			.uri("/api/v1/billing/invoices/" + id)
			.header("Accept", "text/csv")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(csv(byAccept)).hasSameSizeAs(invoiceCsv);

		List<String[]> chargesCsv = csv(finance.get()
			.uri("/api/v1/billing/invoices/" + id + "/charges.csv")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
		assertThat(chargesCsv).hasSize(1 + 7);
		BigDecimal charged = chargesCsv.stream()
			.skip(1)
			.map((row) -> new BigDecimal(row[11]))
			.reduce(BigDecimal.ZERO, BigDecimal::add);
		assertThat(charged).isEqualByComparingTo("0.4268");
		assertThat(chargesCsv.stream().skip(1).filter((row) -> row[8].equals("true"))).hasSize(1);

		// issued means immutable: not through the API, not in SQL
		finance.post()
			.uri("/api/v1/billing/invoices")
			.bodyValue(Map.of("month", month.toString()))
			.exchange()
			.expectStatus()
			.isEqualTo(409);
		assertThatThrownBy(() -> this.database.sql("UPDATE invoice_line SET amount_minor = 0 WHERE invoice_id = :id")
			.bind("id", UUID.fromString(id))
			.then()
			.block()).hasMessageContaining("immutable");

		// a message of that month delivered after the issue shows up as a difference
		germany.delivered(
				germany.template("agent-2", "MARKETING", start.plus(1, ChronoUnit.DAYS).plus(2, ChronoUnit.HOURS)));
		awaitCharges(tenant, 8);
		finance.get()
			.uri("/api/v1/billing/invoices/" + id + "/recompute")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.matches")
			.isEqualTo(false)
			.jsonPath("$.invoicedTotalMinor")
			.isEqualTo(43)
			.jsonPath("$.recomputedTotalMinor")
			.isEqualTo(54)
			.jsonPath("$.differences.length()")
			.isEqualTo(1)
			.jsonPath("$.differences[0].invoicedQuantity")
			.isEqualTo(3)
			.jsonPath("$.differences[0].recomputedQuantity")
			.isEqualTo(4);

		// corrections are credit notes, at most the invoice's total
		finance.post()
			.uri("/api/v1/billing/invoices/" + id + "/credit-notes")
			.bodyValue(Map.of("amountMinor", 10, "reason", "Goodwill for a delayed reply"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.kind")
			.isEqualTo("CREDIT_NOTE")
			.jsonPath("$.status")
			.isEqualTo("ISSUED")
			.jsonPath("$.totalMinor")
			.isEqualTo(-10)
			.jsonPath("$.corrects")
			.isEqualTo(id);
		finance.post()
			.uri("/api/v1/billing/invoices/" + id + "/credit-notes")
			.bodyValue(Map.of("amountMinor", 34, "reason", "Too much"))
			.exchange()
			.expectStatus()
			.isBadRequest();
		finance.get()
			.uri("/api/v1/billing/invoices?limit=1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(1)
			.jsonPath("$.nextCursor")
			.exists();
	}

	@Test
	void whenAnAgentOrAnotherTenantAsksForInvoicesThenForbiddenOrNotFound() {
		String tenant = "tenant-" + UUID.randomUUID();
		YearMonth month = YearMonth.now(ZoneOffset.UTC);
		Map<String, Object> draft = Api.as(this.http, tenant, "OWNER")
			.post()
			.uri("/api/v1/billing/invoices")
			.bodyValue(Map.of("month", month.toString()))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
		String id = (String) draft.get("id");
		WebTestClient agent = Api.as(this.http, tenant, "AGENT");
		for (String path : List.of("/api/v1/billing/invoices", "/api/v1/billing/invoices/" + id,
				"/api/v1/billing/invoices/" + id + ".csv", "/api/v1/billing/invoices/" + id + "/charges.csv",
				"/api/v1/billing/invoices/" + id + "/recompute", "/api/v1/billing/usage")) {
			agent.get().uri(path).exchange().expectStatus().isForbidden();
		}
		agent.post().uri("/api/v1/billing/invoices/" + id + "/issue").exchange().expectStatus().isForbidden();
		Api.as(this.http, "tenant-" + UUID.randomUUID(), "FINANCE")
			.get()
			.uri("/api/v1/billing/invoices/" + id)
			.exchange()
			.expectStatus()
			.isNotFound();
		Api.as(this.http, tenant, "FINANCE")
			.post()
			.uri("/api/v1/billing/invoices/" + id + "/issue")
			.exchange()
			.expectStatus()
			.isEqualTo(409);
		Api.as(this.http, tenant, "FINANCE")
			.get()
			.uri("/api/v1/billing/invoices?cursor=bm90LWEtY3Vyc29y")
			.exchange()
			.expectStatus()
			.isBadRequest();
		Api.as(this.http, tenant, "FINANCE")
			.post()
			.uri("/api/v1/billing/invoices")
			.bodyValue(Map.of("month", "October"))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private void awaitCharges(String tenant, long count) {
		await().atMost(Duration.ofSeconds(40))
			.until(() -> this.database.sql("SELECT count(*) AS n FROM charge WHERE tenant_id = :tenant")
				.bind("tenant", tenant)
				.map((row) -> row.get("n", Long.class))
				.one()
				.block(), (n) -> n == count);
	}

	private static List<String[]> csv(String body) {
		return Arrays.stream(body.split("\r\n")).map((line) -> line.split(",", -1)).toList();
	}

}
