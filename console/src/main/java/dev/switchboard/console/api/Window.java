package dev.switchboard.console.api;

import java.time.Instant;

/**
 * A conversation's 24-hour customer-service window ({@code GET
 * /api/v1/conversations/{id}/window}), as routing decides it.
 *
 * @param state {@code OPEN}, {@code CLOSING} or {@code EXPIRED}
 * @param expiresAt when it closes
 */
public record Window(String state, Instant expiresAt) {

	/** Free text may be sent (open or closing). */
	public boolean allowsText() {
		return !"EXPIRED".equals(this.state);
	}

}
