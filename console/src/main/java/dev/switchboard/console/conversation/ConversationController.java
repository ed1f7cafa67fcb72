package dev.switchboard.console.conversation;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.QuickReply;
import dev.switchboard.console.config.ConsoleProperties;
import dev.switchboard.console.inbox.Inbox;
import dev.switchboard.console.inbox.InboxQuery;
import dev.switchboard.console.signin.ConsoleUser;

/**
 * One conversation beside the inbox list, and its fragments: the head (status, assignee,
 * labels, take, resolve, reopen), the thread with ticks, and the composer (the window's
 * countdown, free text with quick replies while the window is open, a template picker
 * once it closed). Each action calls the API and answers the fragment it changed; a
 * refusal goes to the page's message area and leaves the composer as it was.
 */
@Controller
class ConversationController {

	private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{36}");

	/** The htmx event the thread listens for besides live events. */
	static final String THREAD_CHANGED = "thread-changed";

	private static final ResponseEntity<Void> SENT = ResponseEntity.noContent()
		.header("HX-Trigger", THREAD_CHANGED)
		.build();

	private final Conversations conversations;

	private final Inbox inbox;

	private final ConsoleProperties properties;

	ConversationController(Conversations conversations, Inbox inbox, ConsoleProperties properties) {
		this.conversations = conversations;
		this.inbox = inbox;
		this.properties = properties;
	}

	@GetMapping("/console/conversations/{id}")
	String page(@PathVariable String id, @RequestParam(required = false) @Nullable String view,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(defaultValue = "false") boolean unread,
			@RequestParam(required = false) @Nullable String label, @RequestParam(required = false) @Nullable String q,
			@AuthenticationPrincipal OidcUser principal, Model model) {
		String checked = checked(id);
		InboxQuery query = InboxQuery.of(view, status, unread, label, q);
		model.addAttribute("query", query);
		model.addAttribute("selected", checked);
		model.addAttribute("conversations", this.inbox.conversations(query));
		model.addAttribute("counts", this.inbox.counts());
		model.addAttribute("labels", this.inbox.labels());
		head(checked, model);
		thread(checked, model);
		composer(checked, user(principal), model);
		return "inbox";
	}

	@GetMapping("/console/conversations/{id}/head")
	String head(@PathVariable String id, Model model) {
		String checked = checked(id);
		model.addAttribute("conversation", this.conversations.conversation(checked));
		model.addAttribute("labels", this.inbox.labels());
		return "fragments/conversation :: head";
	}

	@GetMapping("/console/conversations/{id}/thread")
	String thread(@PathVariable String id, Model model) {
		String checked = checked(id);
		model.addAttribute("conversationId", checked);
		model.addAttribute("messages", this.conversations.messages(checked));
		return "fragments/conversation :: thread";
	}

	@GetMapping("/console/conversations/{id}/window")
	String window(@PathVariable String id, Model model) {
		String checked = checked(id);
		model.addAttribute("conversationId", checked);
		model.addAttribute("window", this.conversations.window(checked));
		return "fragments/conversation :: window";
	}

	@GetMapping("/console/conversations/{id}/composer")
	String composer(@PathVariable String id, @AuthenticationPrincipal OidcUser principal, Model model) {
		return composer(checked(id), user(principal), model);
	}

	private String composer(String id, ConsoleUser user, Model model) {
		model.addAttribute("conversationId", id);
		model.addAttribute("window", this.conversations.window(id));
		model.addAttribute("templates", this.conversations.templates());
		model.addAttribute("devices", this.conversations.devices(user.subject()));
		return "fragments/conversation :: composer";
	}

	/**
	 * Sends a reply. The answer carries no thread: it tells the page that the thread
	 * changed, and the thread fetches itself, as it does on every live event, so that one
	 * element alone writes it and no newer rendering is overwritten by an older one.
	 */
	@PostMapping("/console/conversations/{id}/messages")
	Mono<ResponseEntity<Void>> sendText(@PathVariable String id, @ModelAttribute ComposerForm form) {
		String checked = checked(id);
		String text = form.text();
		if (text == null || text.isBlank()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Write a message first");
		}
		return this.conversations.sendText(checked, form.deviceOrEmpty(), text).thenReturn(SENT);
	}

	@PostMapping("/console/conversations/{id}/templates")
	Mono<ResponseEntity<Void>> sendTemplate(@PathVariable String id, @ModelAttribute ComposerForm form) {
		String checked = checked(id);
		String template = String.valueOf(form.template());
		int bar = template.lastIndexOf('|');
		if (bar <= 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Choose a template");
		}
		return this.conversations
			.sendTemplate(checked, form.deviceOrEmpty(), template.substring(0, bar), template.substring(bar + 1))
			.thenReturn(SENT);
	}

	@PostMapping("/console/conversations/{id}/status")
	Mono<String> status(@PathVariable String id, @ModelAttribute StatusForm form, Model model) {
		String checked = checked(id);
		String wanted = String.valueOf(form.status()).toUpperCase(Locale.ROOT);
		if (!wanted.matches("OPEN|PENDING|RESOLVED")) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status must be OPEN, PENDING or RESOLVED");
		}
		return this.conversations.status(checked, wanted).then(Mono.fromCallable(() -> head(checked, model)));
	}

	@PostMapping("/console/conversations/{id}/take")
	Mono<String> take(@PathVariable String id, Model model) {
		String checked = checked(id);
		return this.conversations.take(checked).then(Mono.fromCallable(() -> head(checked, model)));
	}

	@PostMapping("/console/conversations/{id}/labels")
	Mono<String> label(@PathVariable String id, @ModelAttribute LabelForm form, Model model) {
		String checked = checked(id);
		return this.conversations
			.label(checked, checked(String.valueOf(form.labelId())), !"remove".equals(form.action()))
			.then(Mono.fromCallable(() -> head(checked, model)));
	}

	/**
	 * The quick replies whose shortcut starts with what the agent typed after {@code /}.
	 * @param q the typed shortcut
	 * @param model the model
	 * @return the list fragment
	 */
	@GetMapping("/console/quick-replies")
	String quickReplies(@RequestParam(defaultValue = "") String q, Model model) {
		String prefix = q.strip().toLowerCase(Locale.ROOT);
		Mono<List<QuickReply>> matching = this.conversations.quickReplies()
			.map((all) -> all.stream().filter((reply) -> reply.shortcut().startsWith(prefix)).toList());
		model.addAttribute("quickReplies", matching);
		return "fragments/conversation :: quick-replies";
	}

	private ConsoleUser user(OidcUser principal) {
		return ConsoleUser.of(principal, this.properties.oidc());
	}

	// Ids go into API paths: only the API's UUIDs are passed on.
	private static String checked(String id) {
		if (!ID.matcher(id).matches()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such conversation");
		}
		return id;
	}

	/**
	 * The composer's form.
	 *
	 * @param text free text
	 * @param template a template as {@code name|language}
	 * @param device the device the agent sends from
	 */
	record ComposerForm(@Nullable String text, @Nullable String template, @Nullable String device) {

		String deviceOrEmpty() {
			return (this.device != null) ? this.device : "";
		}

	}

	/**
	 * A status change.
	 *
	 * @param status {@code OPEN}, {@code PENDING} or {@code RESOLVED}
	 */
	record StatusForm(@Nullable String status) {

	}

	/**
	 * A label added or removed.
	 *
	 * @param labelId the label
	 * @param action {@code add} or {@code remove}
	 */
	record LabelForm(@Nullable String labelId, @Nullable String action) {

	}

}
