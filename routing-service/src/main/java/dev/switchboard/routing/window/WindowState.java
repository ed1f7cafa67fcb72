package dev.switchboard.routing.window;

import java.time.Duration;
import java.time.Instant;

/** Where a conversation's 24-hour customer-service window stands. */
public enum WindowState {

	/** Free-form replies are allowed. */
	OPEN,

	/** Still open, but expiring within the closing threshold. */
	CLOSING,

	/** Only approved templates may be sent. */
	EXPIRED;

	static WindowState at(Instant now, Instant expiresAt, Duration closingThreshold) {
		if (!now.isBefore(expiresAt)) {
			return EXPIRED;
		}
		return now.isBefore(expiresAt.minus(closingThreshold)) ? OPEN : CLOSING;
	}

}
