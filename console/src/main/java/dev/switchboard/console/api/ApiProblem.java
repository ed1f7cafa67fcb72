package dev.switchboard.console.api;

import org.jspecify.annotations.Nullable;

/**
 * The API refused a call with a problem detail (RFC 9457): shown inline to the user, in
 * the API's words.
 */
public class ApiProblem extends RuntimeException {

	private final int status;

	private final @Nullable String title;

	private final @Nullable String type;

	/**
	 * A refusal.
	 * @param status the HTTP status
	 * @param title the problem's title
	 * @param detail the problem's detail, what the user reads
	 * @param type the problem's type URI
	 */
	public ApiProblem(int status, @Nullable String title, String detail, @Nullable String type) {
		super(detail);
		this.status = status;
		this.title = title;
		this.type = type;
	}

	public int status() {
		return this.status;
	}

	public @Nullable String title() {
		return this.title;
	}

	public String detail() {
		return String.valueOf(getMessage());
	}

	public @Nullable String type() {
		return this.type;
	}

}
