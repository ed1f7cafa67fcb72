package dev.switchboard.billing.plan;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlanHistoryTests {

	@Test
	void whenUpgradedMidMonthThenTwoSegmentsCoverTheMonth() {
		List<PlanChange> changes = List.of(change("STANDARD", "2026-09-20"), change("PREMIUM", "2026-10-16"));
		assertThat(PlanHistory.segments(changes, YearMonth.of(2026, 10))).containsExactly(
				new PlanSegment("STANDARD", "EUR", LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-15")),
				new PlanSegment("PREMIUM", "EUR", LocalDate.parse("2026-10-16"), LocalDate.parse("2026-10-31")));
	}

	@Test
	void whenPlanStartsMidMonthThenDaysBeforeAreNotBilled() {
		List<PlanChange> changes = List.of(change("PREMIUM", "2026-10-10"), change("STANDARD", "2026-11-01"));
		assertThat(PlanHistory.segments(changes, YearMonth.of(2026, 10))).containsExactly(
				new PlanSegment("PREMIUM", "EUR", LocalDate.parse("2026-10-10"), LocalDate.parse("2026-10-31")));
		assertThat(PlanHistory.segments(changes, YearMonth.of(2026, 10)).getFirst().days()).isEqualTo(22);
	}

	private static PlanChange change(String plan, String from) {
		return new PlanChange("t", plan, "EUR", "SET", LocalDate.parse(from), Instant.EPOCH, "owner");
	}

}
