package dev.switchboard.console.inbox;

import java.util.List;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;
import dev.switchboard.console.api.Conversation;
import dev.switchboard.console.api.Label;
import dev.switchboard.console.api.Page;
import dev.switchboard.console.api.UnreadCounts;

/** The inbox's reads of the API, with the user's token. */
@Component
public class Inbox {

	private static final ParameterizedTypeReference<Page<Conversation>> CONVERSATIONS = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Page<Label>> LABELS = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<UnreadCounts> COUNTS = new ParameterizedTypeReference<>() {
	};

	private final ApiClient api;

	Inbox(ApiClient api) {
		this.api = api;
	}

	/**
	 * The first page of the conversations a query selects, most recent first.
	 * @param query the tab and filters
	 * @return the conversations
	 */
	public Mono<List<Conversation>> conversations(InboxQuery query) {
		return this.api.get(query::api, CONVERSATIONS).map(Page::items);
	}

	/** Conversations waiting for an answer, per tab. */
	public Mono<UnreadCounts> counts() {
		return this.api.get((uri) -> uri.path("/api/v1/conversations/unread-counts").build(), COUNTS);
	}

	/** The tenant's labels, for the filter and the conversation's label picker. */
	public Mono<List<Label>> labels() {
		return this.api.get((uri) -> uri.path("/api/v1/labels").queryParam("limit", 100).build(), LABELS)
			.map(Page::items);
	}

}
