package dev.switchboard.console.finance;

import org.junit.jupiter.api.Test;

import dev.switchboard.console.api.ApiProblem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FinanceControllerTests {

	@Test
	void whenACreditNoteAmountIsTypedThenItIsReadInTheCurrencysMinorUnits() {
		assertThat(FinanceController.minor("12.50", "EUR")).isEqualTo(1250);
		assertThat(FinanceController.minor(" 3,2 ", "EUR")).isEqualTo(320);
		assertThat(FinanceController.minor("1500", "HUF")).isEqualTo(150000);
		assertThat(FinanceController.minor("700", "JPY")).isEqualTo(700);
	}

	@Test
	void whenTheAmountIsNotANumberOrTooPreciseThenABadRequestProblemIsShown() {
		assertThatExceptionOfType(ApiProblem.class).isThrownBy(() -> FinanceController.minor("ten", "EUR"))
			.satisfies((problem) -> assertThat(problem.status()).isEqualTo(400));
		assertThatExceptionOfType(ApiProblem.class).isThrownBy(() -> FinanceController.minor("1.005", "EUR"));
		assertThatExceptionOfType(ApiProblem.class).isThrownBy(() -> FinanceController.minor(null, "EUR"));
	}

}
