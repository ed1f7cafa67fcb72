package dev.switchboard.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.billing.charge.ChargeLine;
import dev.switchboard.billing.pricing.ChargeCategory;

import static org.assertj.core.api.Assertions.assertThat;

class InvoiceCalculatorTests {

	@Test
	void whenChargesShareCategoryCountryAndPriceThenOneLineRoundedOnce() {
		List<ChargeLine> charges = List.of(marketing("w1", "0.057200"), marketing("w2", "0.057200"),
				marketing("w3", "0.057200"), free("w4"));
		List<InvoiceLine> lines = InvoiceCalculator.usage(charges);
		assertThat(lines).hasSize(2);
		InvoiceLine marketing = lines.stream().filter((line) -> line.key().contains("MARKETING")).findFirst().get();
		// 3 × 0.0572 = 0.1716 EUR → 17 cents
		assertThat(marketing.quantity()).isEqualTo(3);
		assertThat(marketing.amountMinor()).isEqualTo(17);
		InvoiceLine service = lines.stream().filter((line) -> line.key().contains("SERVICE")).findFirst().get();
		assertThat(service.amountMinor()).isZero();
		assertThat(service.description()).contains("free");
	}

	@Test
	void whenInvoiceIsComparedWithADifferentRecomputationThenTheLineIsListed() {
		InvoiceLine line = new InvoiceLine("USAGE|MARKETING", "USAGE", "Marketing", 3, new BigDecimal("0.057200"), 17);
		InvoiceView invoice = new InvoiceView(java.util.UUID.randomUUID(), "INV-1", "INVOICE", "ISSUED", "2026-10",
				"EUR", List.of(line), 17, "0.17", null, null, Instant.EPOCH, Instant.EPOCH);
		assertThat(InvoiceService.compare(invoice, List.of(line)).matches()).isTrue();
		Recomputation different = InvoiceService.compare(invoice,
				List.of(new InvoiceLine("USAGE|MARKETING", "USAGE", "Marketing", 4, new BigDecimal("0.057200"), 23)));
		assertThat(different.matches()).isFalse();
		assertThat(different.differences()).singleElement()
			.satisfies((difference) -> assertThat(difference.recomputedAmountMinor()).isEqualTo(23L));
	}

	private static ChargeLine marketing(String wamid, String price) {
		return new ChargeLine(wamid, "c", "agent", "template", "promo", ChargeCategory.MARKETING, true, true, false, "",
				1L, new BigDecimal(price), "EUR", Instant.EPOCH, null, Instant.EPOCH);
	}

	private static ChargeLine free(String wamid) {
		return new ChargeLine(wamid, "c", "agent", "text", null, ChargeCategory.SERVICE, true, false, false, "", null,
				new BigDecimal("0.000000"), "EUR", Instant.EPOCH, null, Instant.EPOCH);
	}

}
