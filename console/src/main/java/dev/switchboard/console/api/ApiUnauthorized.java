package dev.switchboard.console.api;

/**
 * The API did not accept the user's token (expired, revoked): the user signs in again.
 */
public class ApiUnauthorized extends RuntimeException {

	ApiUnauthorized(String message) {
		super(message);
	}

}
