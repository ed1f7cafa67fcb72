package dev.switchboard.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.PlanChanged;
import dev.switchboard.events.Topics;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
class PlansIT {

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@Autowired
	private MeterRegistry meters;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenOwnerSetsThenUpgradesMidMonthThenPlanChangedIsPublishedAndPremiumIsProratedByDay() {
		String tenant = "tenant-" + UUID.randomUUID();
		WebTestClient owner = Api.as(this.http, tenant, "OWNER");
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		owner.put()
			.uri("/api/v1/billing/plan")
			.bodyValue(Map.of("plan", "STANDARD"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.current.plan")
			.isEqualTo("STANDARD")
			.jsonPath("$.current.change")
			.isEqualTo("SET")
			.jsonPath("$.current.maxDevices")
			.isEqualTo(4);
		YearMonth next = YearMonth.from(today).plusMonths(1);
		LocalDate upgrade = next.atDay(16);
		owner.put()
			.uri("/api/v1/billing/plan")
			.bodyValue(Map.of("plan", "PREMIUM", "effectiveFrom", upgrade.toString()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.scheduled[0].plan")
			.isEqualTo("PREMIUM")
			.jsonPath("$.scheduled[0].change")
			.isEqualTo("UPGRADE")
			.jsonPath("$.scheduled[0].effectiveFrom")
			.isEqualTo(upgrade.toString());

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(events.of(PlanChanged.class)
				.stream()
				.filter((received) -> received.key().equals(tenant))
				.map((received) -> {
					assertThat(received.topic()).isEqualTo(Topics.BILLING_EVENTS);
					PlanChanged changed = (PlanChanged) received.event();
					return changed.plan() + "/" + changed.maxDevices() + "/" + changed.maxPhones() + "/"
							+ changed.effectiveFrom();
				})
				.toList()).containsExactly("STANDARD/4/1/" + today, "PREMIUM/10/5/" + upgrade));

		int monthDays = next.lengthOfMonth();
		int premiumDays = monthDays - 15;
		long prorated = BigDecimal.valueOf(4900 * premiumDays)
			.divide(BigDecimal.valueOf(monthDays), 0, RoundingMode.HALF_UP)
			.longValueExact();
		Map<String, Object> usage = Api.as(this.http, tenant, "FINANCE")
			.get()
			.uri("/api/v1/billing/usage?month=" + next)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertThat(usage).containsEntry("totalMinor", (int) prorated).containsEntry("currency", "EUR");
		assertThat((List<?>) usage.get("lines"))
			.extracting((line) -> ((Map<?, ?>) line).get("key"), (line) -> ((Map<?, ?>) line).get("quantity"),
					(line) -> ((Map<?, ?>) line).get("amountMinor"))
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple("SUBSCRIPTION|STANDARD|" + next.atDay(1) + "|" + next.atDay(15),
							15, 0),
					org.assertj.core.groups.Tuple.tuple("SUBSCRIPTION|PREMIUM|" + upgrade + "|" + next.atEndOfMonth(),
							premiumDays, (int) prorated));
	}

	@Test
	void whenPremiumIsCancelledThenStandardFollowsFromNextMonth() {
		String tenant = "tenant-" + UUID.randomUUID();
		WebTestClient owner = Api.as(this.http, tenant, "OWNER");
		owner.put().uri("/api/v1/billing/plan").bodyValue(Map.of("plan", "PREMIUM")).exchange().expectStatus().isOk();
		YearMonth next = YearMonth.now(ZoneOffset.UTC).plusMonths(1);
		owner.post()
			.uri("/api/v1/billing/plan/cancel")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.current.plan")
			.isEqualTo("PREMIUM")
			.jsonPath("$.scheduled[0].plan")
			.isEqualTo("STANDARD")
			.jsonPath("$.scheduled[0].change")
			.isEqualTo("CANCEL")
			.jsonPath("$.scheduled[0].effectiveFrom")
			.isEqualTo(next.atDay(1).toString());
		owner.put()
			.uri("/api/v1/billing/plan")
			.bodyValue(Map.of("plan", "PREMIUM"))
			.exchange()
			.expectStatus()
			.isEqualTo(409);
	}

	@Test
	void whenTheTenantHasANewPriceListThenPremiumIsBilledAtItFromItsFirstDay() {
		String tenant = "tenant-" + UUID.randomUUID();
		YearMonth next = YearMonth.now(ZoneOffset.UTC).plusMonths(1);
		Map<String, Object> negotiated = Map.of("name", "negotiated", "currency", "EUR", "effectiveFrom",
				next.atDay(1).toString(), "tenantId", tenant, "plans",
				List.of(Map.of("plan", "STANDARD", "monthlyFeeMinor", 0, "maxDevices", 4, "maxPhones", 1),
						Map.of("plan", "PREMIUM", "monthlyFeeMinor", 3900, "maxDevices", 12, "maxPhones", 6)));
		for (String role : List.of("FINANCE", "OWNER", "ADMIN")) {
			Api.as(this.http, tenant, role)
				.post()
				.uri("/api/v1/billing/price-lists")
				.bodyValue(negotiated)
				.exchange()
				.expectStatus()
				.isForbidden();
		}
		Api.as(this.http, "platform", "OPERATOR")
			.post()
			.uri("/api/v1/billing/price-lists")
			.bodyValue(negotiated)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.tenantId")
			.isEqualTo(tenant);
		Api.as(this.http, tenant, "OWNER")
			.put()
			.uri("/api/v1/billing/plan")
			.bodyValue(Map.of("plan", "PREMIUM"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.current.monthlyFeeMinor")
			.isEqualTo(4900);
		Api.as(this.http, tenant, "FINANCE")
			.get()
			.uri("/api/v1/billing/usage?month=" + next)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.totalMinor")
			.isEqualTo(3900)
			.jsonPath("$.lines[0].description")
			.isEqualTo("PREMIUM plan, " + next);
		Api.as(this.http, "tenant-" + UUID.randomUUID(), "FINANCE")
			.get()
			.uri("/api/v1/billing/price-lists")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[?(@.name == 'negotiated')]")
			.doesNotExist();
	}

	@Test
	void whenTheRoleIsWrongOrTheInputBadThenRefusedAndNothingIsStored() {
		String tenant = "tenant-" + UUID.randomUUID();
		Api.as(this.http, tenant, "AGENT").get().uri("/api/v1/billing/plan").exchange().expectStatus().isForbidden();
		Api.as(this.http, tenant, "FINANCE")
			.put()
			.uri("/api/v1/billing/plan")
			.bodyValue(Map.of("plan", "PREMIUM"))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.http.get().uri("/api/v1/billing/plan").exchange().expectStatus().isUnauthorized();

		double before = rejected("plan.plan");
		Api.as(this.http, tenant, "OWNER")
			.put()
			.uri("/api/v1/billing/plan")
			.bodyValue(Map.of("plan", "GOLD"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith("application/problem+json")
			.expectBody()
			.jsonPath("$.detail")
			.value((detail) -> assertThat(detail.toString()).contains("STANDARD"));
		Api.as(this.http, tenant, "OWNER")
			.put()
			.uri("/api/v1/billing/plan")
			.bodyValue(Map.of("plan", "PREMIUM", "effectiveFrom", "2020-01-01"))
			.exchange()
			.expectStatus()
			.isBadRequest();
		assertThat(rejected("plan.plan")).isEqualTo(before + 1);
		Api.as(this.http, tenant, "FINANCE")
			.get()
			.uri("/api/v1/billing/plan")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.current")
			.doesNotExist()
			.jsonPath("$.scheduled.length()")
			.isEqualTo(0);
		assertThat(events.of(PlanChanged.class)).noneMatch((received) -> received.key().equals(tenant));
	}

	private double rejected(String reason) {
		io.micrometer.core.instrument.Counter counter = this.meters.find("switchboard.billing.rejected")
			.tag("reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
