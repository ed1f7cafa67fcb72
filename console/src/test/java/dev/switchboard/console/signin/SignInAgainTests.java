package dev.switchboard.console.signin;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class SignInAgainTests {

	@Test
	void whenAnHtmxRequestNamesItsPageThenOnlyThePathAndQueryAreKept() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.post("http://127.0.0.1:8080/console/conversations/abc/status")
				.header(SignInAgain.HX_CURRENT_URL, "https://elsewhere.example/console/conversations/abc?view=all"));
		ServerWebExchange page = SignInAgain.pageOf(exchange);
		assertThat(page.getRequest().getURI()).hasToString("http://127.0.0.1:8080/console/conversations/abc?view=all");
		assertThat(page.getRequest().getMethod().name()).isEqualTo("GET");
	}

	@Test
	void whenAnHtmxRequestNamesNoPageThenTheConsoleHomeIsKept() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("http://127.0.0.1:8080/console/inbox/list"));
		assertThat(SignInAgain.pageOf(exchange).getRequest().getURI().getPath()).isEqualTo("/console");
	}

}
