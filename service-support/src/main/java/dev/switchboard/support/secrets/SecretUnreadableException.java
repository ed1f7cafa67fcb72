package dev.switchboard.support.secrets;

/**
 * A stored secret could not be decrypted: its master key is not configured, or the stored
 * bytes were changed or belong to another row.
 */
public class SecretUnreadableException extends RuntimeException {

	SecretUnreadableException(String message, Throwable cause) {
		super(message, cause);
	}

}
