package dev.switchboard.console.inbox;

import org.junit.jupiter.api.Test;
import org.springframework.web.util.DefaultUriBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

class InboxQueryTests {

	private final DefaultUriBuilderFactory api = new DefaultUriBuilderFactory("http://127.0.0.1:8080");

	@Test
	void whenTheUnassignedTabIsShownThenTheApiIsAskedForConversationsOfNobody() {
		InboxQuery query = InboxQuery.of("unassigned", "open", true, "vip", "order 42");
		assertThat(query.api(this.api.builder())).hasToString(
				"http://127.0.0.1:8080/api/v1/conversations?limit=50&assignee=none&status=OPEN&unread=true&label=vip&q=order%2042");
	}

	@Test
	void whenTheQueryIsUnknownThenTheAgentsOwnTabWithoutFiltersIsShown() {
		InboxQuery query = InboxQuery.of("everything", "CLOSED", false, " ", null);
		assertThat(query).isEqualTo(new InboxQuery("mine", null, false, null, null));
		assertThat(query.api(this.api.builder()))
			.hasToString("http://127.0.0.1:8080/api/v1/conversations?limit=50&assignee=me");
	}

	@Test
	void whenATabLinkIsBuiltThenTheFiltersStay() {
		assertThat(InboxQuery.of("mine", "RESOLVED", false, null, "où").withView("all").on("/console/inbox"))
			.isEqualTo("/console/inbox?view=all&status=RESOLVED&q=o%C3%B9");
	}

}
