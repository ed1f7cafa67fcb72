package dev.switchboard.billing.pricing;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WindowClassifierTests {

	private static final Instant CUSTOMER = Instant.parse("2026-10-05T10:00:00Z");

	@Test
	void whenFreeFormReplyInsideWindowThenFreeService() {
		Classification result = WindowClassifier.classify("text", null, CUSTOMER.plus(Duration.ofHours(1)), CUSTOMER,
				false);
		assertThat(result).isEqualTo(
				new Classification(ChargeCategory.SERVICE, true, false, false, CUSTOMER.plus(Duration.ofHours(24))));
	}

	@Test
	void whenUtilityTemplateInsideWindowThenFreeAndAtExpiryThenChargedLateReply() {
		assertThat(
				WindowClassifier.classify("template", "UTILITY", CUSTOMER.plus(Duration.ofHours(23)), CUSTOMER, false))
			.extracting(Classification::category, Classification::inWindow, Classification::charged,
					Classification::lateReply)
			.containsExactly(ChargeCategory.UTILITY, true, false, false);
		assertThat(
				WindowClassifier.classify("template", "utility", CUSTOMER.plus(Duration.ofHours(24)), CUSTOMER, false))
			.extracting(Classification::inWindow, Classification::charged, Classification::lateReply)
			.containsExactly(false, true, true);
	}

	@Test
	void whenMarketingOrAuthenticationThenAlwaysCharged() {
		assertThat(
				WindowClassifier.classify("template", "MARKETING", CUSTOMER.plusSeconds(60), CUSTOMER, false).charged())
			.isTrue();
		assertThat(WindowClassifier.classify("template", "AUTHENTICATION", CUSTOMER.plusSeconds(60), CUSTOMER, false)
			.charged()).isTrue();
		assertThat(
				WindowClassifier.classify("template", "MARKETING", CUSTOMER.plus(Duration.ofDays(3)), CUSTOMER, true))
			.extracting(Classification::charged, Classification::lateReply)
			.containsExactly(true, false);
	}

	@Test
	void whenCustomerNeverWroteThenTemplateIsChargedButNotALateReply() {
		Classification result = WindowClassifier.classify("template", "UTILITY", CUSTOMER, null, false);
		assertThat(result)
			.extracting(Classification::inWindow, Classification::charged, Classification::lateReply,
					Classification::windowExpiresAt)
			.containsExactly(false, true, false, null);
	}

	@Test
	void whenTemplateCategoryIsUnknownThenBilledAsMarketing() {
		assertThat(WindowClassifier.classify("template", null, CUSTOMER.plusSeconds(1), CUSTOMER, false).category())
			.isEqualTo(ChargeCategory.MARKETING);
	}

}
