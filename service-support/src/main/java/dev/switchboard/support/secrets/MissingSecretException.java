package dev.switchboard.support.secrets;

/**
 * A service cannot start without a secret from its environment. Reported at startup with
 * the variable to set and how to make a value.
 */
public class MissingSecretException extends RuntimeException {

	private final String variable;

	private final String action;

	/**
	 * @param variable the environment variable to set, e.g.
	 * {@code SWITCHBOARD_MASTER_KEY}
	 * @param description what is missing and why it is needed
	 * @param action how to provide it
	 */
	public MissingSecretException(String variable, String description, String action) {
		super(description);
		this.variable = variable;
		this.action = action;
	}

	public String variable() {
		return this.variable;
	}

	public String action() {
		return this.action;
	}

}
