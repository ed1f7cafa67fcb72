package dev.switchboard.inbox.outbound;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** What the Cloud API answered to a send. */
sealed interface GraphResult {

	/**
	 * Meta took the message.
	 *
	 * @param wamid the id its status webhooks will name
	 */
	record Accepted(String wamid) implements GraphResult {

	}

	/**
	 * Worth trying again later: a 5xx, a rate limit, or no answer.
	 *
	 * @param reason what went wrong
	 * @param retryAfter how long Meta asked to wait, if it said
	 */
	record Retryable(String reason, @Nullable Duration retryAfter) implements GraphResult {

	}

	/**
	 * Meta refused the message for good (invalid recipient, template, parameters...).
	 *
	 * @param reason Meta's error code and message
	 */
	record Rejected(String reason) implements GraphResult {

	}

}
