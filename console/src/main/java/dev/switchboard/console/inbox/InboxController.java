package dev.switchboard.console.inbox;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The inbox page and its fragments: the conversation list of a tab with its filters, and
 * the tabs' unread counts. Both fragments re-read themselves when the live stream says
 * the tenant's conversations changed ({@code sse:inbox}).
 */
@Controller
class InboxController {

	private final Inbox inbox;

	InboxController(Inbox inbox) {
		this.inbox = inbox;
	}

	@GetMapping("/console/inbox")
	String page(@RequestParam(required = false) @Nullable String view,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(defaultValue = "false") boolean unread,
			@RequestParam(required = false) @Nullable String label, @RequestParam(required = false) @Nullable String q,
			Model model) {
		InboxQuery query = InboxQuery.of(view, status, unread, label, q);
		model.addAttribute("query", query);
		model.addAttribute("conversations", this.inbox.conversations(query));
		model.addAttribute("counts", this.inbox.counts());
		model.addAttribute("labels", this.inbox.labels());
		return "inbox";
	}

	@GetMapping("/console/inbox/list")
	String list(@RequestParam(required = false) @Nullable String view,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(defaultValue = "false") boolean unread,
			@RequestParam(required = false) @Nullable String label, @RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false) @Nullable String selected, Model model) {
		InboxQuery query = InboxQuery.of(view, status, unread, label, q);
		model.addAttribute("query", query);
		model.addAttribute("selected", selected);
		model.addAttribute("conversations", this.inbox.conversations(query));
		return "fragments/inbox :: list";
	}

	@GetMapping("/console/inbox/counts")
	String counts(@RequestParam(required = false) @Nullable String view,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(defaultValue = "false") boolean unread,
			@RequestParam(required = false) @Nullable String label, @RequestParam(required = false) @Nullable String q,
			Model model) {
		model.addAttribute("query", InboxQuery.of(view, status, unread, label, q));
		model.addAttribute("counts", this.inbox.counts());
		return "fragments/inbox :: tabs";
	}

}
