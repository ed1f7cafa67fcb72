package dev.switchboard.console.inbox;

import java.net.URI;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriBuilder;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the inbox shows: a tab (mine, unassigned, all) and its filters, from the page's
 * query, checked; an unknown tab or status is ignored rather than sent on.
 *
 * @param view {@code mine}, {@code unassigned} or {@code all}
 * @param status {@code OPEN}, {@code PENDING}, {@code RESOLVED}, or null for any
 * @param unread only conversations with unread messages
 * @param label a label name, or null
 * @param text words in the messages, or null
 */
public record InboxQuery(String view, @Nullable String status, boolean unread, @Nullable String label,
		@Nullable String text) {

	/**
	 * The query of a request.
	 * @param view the tab
	 * @param status the status filter
	 * @param unread the unread filter
	 * @param label the label filter
	 * @param text the text filter
	 * @return the checked query
	 */
	public static InboxQuery of(@Nullable String view, @Nullable String status, boolean unread, @Nullable String label,
			@Nullable String text) {
		String checkedView = (view != null && view.matches("mine|unassigned|all")) ? view : "mine";
		String checkedStatus = (status != null) ? status.toUpperCase(Locale.ROOT) : null;
		if (checkedStatus != null && !checkedStatus.matches("OPEN|PENDING|RESOLVED")) {
			checkedStatus = null;
		}
		return new InboxQuery(checkedView, checkedStatus, unread, blankToNull(label), blankToNull(text));
	}

	/**
	 * The API's conversation list for this query.
	 * @param uri the API's base
	 * @return {@code /api/v1/conversations?...}
	 */
	URI api(UriBuilder uri) {
		uri.path("/api/v1/conversations").queryParam("limit", 50);
		switch (this.view) {
			case "mine" -> uri.queryParam("assignee", "me");
			case "unassigned" -> uri.queryParam("assignee", "none");
			default -> {
			}
		}
		if (this.status != null) {
			uri.queryParam("status", this.status);
		}
		if (this.unread) {
			uri.queryParam("unread", true);
		}
		if (this.label != null) {
			uri.queryParam("label", "{label}");
		}
		if (this.text != null) {
			uri.queryParam("q", "{q}");
		}
		return uri.build(java.util.Map.of("label", String.valueOf(this.label), "q", String.valueOf(this.text)));
	}

	/**
	 * This query on a console path, for links and htmx requests.
	 * @param path the console path
	 * @return the path with the query
	 */
	public String on(String path) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromPath(path).queryParam("view", this.view);
		if (this.status != null) {
			uri.queryParam("status", this.status);
		}
		if (this.unread) {
			uri.queryParam("unread", true);
		}
		if (this.label != null) {
			uri.queryParam("label", this.label);
		}
		if (this.text != null) {
			uri.queryParam("q", this.text);
		}
		return uri.encode().build().toUriString();
	}

	/**
	 * The same filters on another tab.
	 * @param other the tab
	 * @return the query
	 */
	public InboxQuery withView(String other) {
		return new InboxQuery(other, this.status, this.unread, this.label, this.text);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
