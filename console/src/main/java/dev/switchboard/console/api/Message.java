package dev.switchboard.console.api;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A message of a conversation ({@code GET /api/v1/conversations/{id}/messages}).
 *
 * @param id the message
 * @param direction {@code INBOUND} or {@code OUTBOUND}
 * @param type Meta's message type
 * @param body its text
 * @param sentAt WhatsApp's time
 * @param storedAt when the inbox stored it
 * @param status outbound: {@code QUEUED}, {@code ACCEPTED}, {@code SENT},
 * {@code DELIVERED}, {@code READ} or {@code FAILED}
 * @param error outbound: why it failed
 * @param agentId outbound: who sent it
 * @param templateName outbound: the template
 */
public record Message(String id, String direction, String type, @Nullable String body, @Nullable Instant sentAt,
		Instant storedAt, @Nullable String status, @Nullable String error, @Nullable String agentId,
		@Nullable String templateName) {

	public boolean isOutbound() {
		return "OUTBOUND".equals(this.direction);
	}

	/** When it happened, for the thread. */
	public Instant at() {
		return (this.sentAt != null) ? this.sentAt : this.storedAt;
	}

	/**
	 * The tick an outbound message shows: none while queued, ✓ sent, ✓✓ delivered, ✓✓ in
	 * blue read, ! failed.
	 * @return {@code pending}, {@code sent}, {@code delivered}, {@code read} or
	 * {@code failed}; empty for an inbound message
	 */
	public String tick() {
		if (!isOutbound() || this.status == null) {
			return "";
		}
		return switch (this.status) {
			case "SENT" -> "sent";
			case "DELIVERED" -> "delivered";
			case "READ" -> "read";
			case "FAILED" -> "failed";
			default -> "pending";
		};
	}

}
