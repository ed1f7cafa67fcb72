package dev.switchboard.console.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;
import dev.switchboard.console.api.ApiProblem;
import dev.switchboard.console.api.Conversation;
import dev.switchboard.console.api.Device;
import dev.switchboard.console.api.Message;
import dev.switchboard.console.api.Page;
import dev.switchboard.console.api.QuickReply;
import dev.switchboard.console.api.Template;
import dev.switchboard.console.api.Window;

/**
 * One conversation through the API, with the user's token: the API decides what they may
 * read and do, and its refusals ({@link ApiProblem}) reach the page as they are.
 */
@Component
class Conversations {

	/** At most this many pages of history (100 each) are shown. */
	static final int HISTORY_PAGES = 10;

	private static final ParameterizedTypeReference<Conversation> CONVERSATION = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Page<Message>> MESSAGES = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Window> WINDOW = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Page<QuickReply>> QUICK_REPLIES = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Page<Template>> TEMPLATES = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Page<Device>> DEVICES = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Map<String, Object>> ANY = new ParameterizedTypeReference<>() {
	};

	private final ApiClient api;

	Conversations(ApiClient api) {
		this.api = api;
	}

	Mono<Conversation> conversation(String id) {
		return this.api.get((uri) -> uri.path("/api/v1/conversations/{id}").build(id), CONVERSATION);
	}

	/** The history, oldest first, following the API's cursor. */
	Mono<List<Message>> messages(String id) {
		return page(id, null).expand((page) -> (page.nextCursor() != null) ? page(id, page.nextCursor()) : Mono.empty())
			.take(HISTORY_PAGES)
			.collect(ArrayList<Message>::new, (all, page) -> all.addAll(page.items()))
			.map(List::copyOf);
	}

	private Mono<Page<Message>> page(String id, @Nullable String cursor) {
		return this.api.get((uri) -> {
			uri.path("/api/v1/conversations/{id}/messages").queryParam("limit", 100);
			if (cursor != null) {
				uri.queryParam("cursor", "{cursor}");
			}
			return uri.build(Map.of("id", id, "cursor", String.valueOf(cursor)));
		}, MESSAGES);
	}

	/**
	 * The window as routing decides it; empty while routing has not seen the
	 * conversation.
	 */
	Mono<Window> window(String id) {
		return this.api.get((uri) -> uri.path("/api/v1/conversations/{id}/window").build(id), WINDOW)
			.onErrorResume(ApiProblem.class,
					(problem) -> (problem.status() == 404) ? Mono.empty() : Mono.error(problem));
	}

	Mono<List<QuickReply>> quickReplies() {
		return this.api.get((uri) -> uri.path("/api/v1/quick-replies").queryParam("limit", 100).build(), QUICK_REPLIES)
			.map(Page::items);
	}

	/**
	 * The approved templates: the only messages that may go out once the window closed.
	 */
	Mono<List<Template>> templates() {
		return this.api.get((uri) -> uri.path("/api/v1/templates").queryParam("limit", 100).build(), TEMPLATES)
			.map((page) -> page.items().stream().filter(Template::isApproved).toList());
	}

	/** The devices registered to this agent that may still send. */
	Mono<List<Device>> devices(String agentId) {
		return this.api
			.get((uri) -> uri.path("/api/v1/devices")
				.queryParam("agentId", "{agent}")
				.queryParam("state", "ACTIVE")
				.queryParam("limit", 100)
				.build(agentId), DEVICES)
			.map(Page::items);
	}

	Mono<Void> sendText(String id, String deviceId, String text) {
		return send(id, deviceId, Map.of("type", "text", "text", text));
	}

	Mono<Void> sendTemplate(String id, String deviceId, String name, String language) {
		return send(id, deviceId, Map.of("type", "template", "template", Map.of("name", name, "language", language)));
	}

	private Mono<Void> send(String id, String deviceId, Map<String, Object> body) {
		return this.api
			.call(HttpMethod.POST, (uri) -> uri.path("/api/v1/conversations/{id}/messages").build(id), body, ANY,
					"X-Device-Id", deviceId)
			.then();
	}

	Mono<Void> status(String id, String status) {
		return this.api
			.call(HttpMethod.PUT, (uri) -> uri.path("/api/v1/conversations/{id}/status").build(id),
					Map.of("status", status), ANY)
			.then();
	}

	Mono<Void> take(String id) {
		return this.api
			.call(HttpMethod.POST, (uri) -> uri.path("/api/v1/conversations/{id}/assignment/take").build(id), null, ANY)
			.then();
	}

	Mono<Void> label(String id, String labelId, boolean add) {
		return this.api
			.call(add ? HttpMethod.PUT : HttpMethod.DELETE,
					(uri) -> uri.path("/api/v1/conversations/{id}/labels/{label}").build(id, labelId), null, ANY)
			.then();
	}

}
