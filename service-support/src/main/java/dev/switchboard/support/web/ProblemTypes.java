package dev.switchboard.support.web;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * The {@code type} URIs of the platform's RFC 9457 problem details: one namespace for
 * every service, each type documented in {@code docs/problems.md} (a test checks that
 * every type the code names is there). Problems whose status says it all keep
 * {@code about:blank}.
 */
public final class ProblemTypes {

	/** Where every problem type of the platform lives. */
	public static final String BASE = "https://switchboard.dev/problems/";

	private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private ProblemTypes() {
	}

	/**
	 * A problem type.
	 * @param name its last segment, lower-case words joined by hyphens
	 * ({@code window-closed})
	 * @return the type URI
	 */
	public static URI of(String name) {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Not a problem type name: " + name);
		}
		return URI.create(BASE + name);
	}

}
