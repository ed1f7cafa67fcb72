package dev.switchboard.events;

import org.jspecify.annotations.Nullable;

/**
 * One of Meta's {@code errors[]} on a {@code failed} status, as Meta reported it.
 *
 * @param code Meta's error code (e.g. {@code 131026}, message undeliverable)
 * @param title its short title
 * @param message its message, when Meta sent one
 * @param details {@code error_data.details}, when Meta sent them
 */
public record WhatsAppError(int code, @Nullable String title, @Nullable String message, @Nullable String details) {

	/**
	 * One line for people: the code and the title (or message).
	 * @return the summary
	 */
	public String summary() {
		String text = (this.title != null) ? this.title : (this.message != null) ? this.message : "error";
		return this.code + " " + text;
	}

}
