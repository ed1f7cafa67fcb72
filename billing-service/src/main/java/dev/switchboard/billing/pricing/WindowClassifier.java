package dev.switchboard.billing.pricing;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Classifies an outbound message against the customer's 24-hour window at the time it was
 * sent, as Meta prices the Cloud API per message:
 * <ul>
 * <li>a free-form message (text, media) is a free {@link ChargeCategory#SERVICE} reply
 * (outside the window Meta does not accept one, so it is never charged);</li>
 * <li>a {@code UTILITY} template is free inside an open window and charged outside;</li>
 * <li>{@code MARKETING} and {@code AUTHENTICATION} templates are always charged;</li>
 * <li>a template sent after the window of an unanswered customer message expired is a
 * late reply: it had to be a template because the reply came too late.</li>
 * </ul>
 */
public final class WindowClassifier {

	/** How long the customer-service window stays open after a customer's message. */
	public static final Duration WINDOW = Duration.ofHours(24);

	private WindowClassifier() {
	}

	/**
	 * Classifies a send.
	 * @param kind {@code text}, {@code media} or {@code template}
	 * @param templateCategory the template's category, for a template
	 * @param sentAt when Meta accepted it
	 * @param lastCustomerMessageAt the customer's latest message at or before
	 * {@code sentAt}, or null if the customer never wrote
	 * @param answeredSince whether another agent message was sent after that customer
	 * message and before this one
	 * @return the classification
	 */
	public static Classification classify(String kind, @Nullable String templateCategory, Instant sentAt,
			@Nullable Instant lastCustomerMessageAt, boolean answeredSince) {
		Instant expiresAt = (lastCustomerMessageAt != null) ? lastCustomerMessageAt.plus(WINDOW) : null;
		boolean inWindow = expiresAt != null && sentAt.isBefore(expiresAt);
		if (!"template".equals(kind)) {
			return new Classification(ChargeCategory.SERVICE, inWindow, false, false, expiresAt);
		}
		ChargeCategory category = ChargeCategory.ofTemplate(templateCategory);
		boolean charged = switch (category) {
			case UTILITY -> !inWindow;
			case MARKETING, AUTHENTICATION -> true;
			case SERVICE -> false;
		};
		boolean lateReply = !inWindow && lastCustomerMessageAt != null && !answeredSince;
		return new Classification(category, inWindow, charged, lateReply, expiresAt);
	}

}
