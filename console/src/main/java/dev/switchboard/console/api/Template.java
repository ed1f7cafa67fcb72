package dev.switchboard.console.api;

/**
 * A message template ({@code GET /api/v1/templates}): outside the window, only approved
 * ones may be sent.
 *
 * @param name its name
 * @param language its language code
 * @param status {@code APPROVED}, {@code PAUSED}, {@code REJECTED}, ...
 */
public record Template(String name, String language, String status) {

	public boolean isApproved() {
		return "APPROVED".equals(this.status);
	}

}
