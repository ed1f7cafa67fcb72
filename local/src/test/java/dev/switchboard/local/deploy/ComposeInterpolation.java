package dev.switchboard.local.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker Compose's variable interpolation (the Compose Specification's "Interpolation"
 * section), for a machine without Docker: {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}} (unset or empty), {@code ${VAR-default}} (unset),
 * {@code ${VAR:?message}} and {@code ${VAR?message}} (an error naming the variable),
 * {@code ${VAR:+other}} and {@code ${VAR+other}}, defaults that hold variables
 * themselves, and {@code $$} for a literal dollar. No library on Maven Central does this,
 * so this small one is tested on its own ({@code ComposeInterpolationTests}).
 */
public final class ComposeInterpolation {

	private final Map<String, String> variables;

	public ComposeInterpolation(Map<String, String> variables) {
		this.variables = Map.copyOf(variables);
	}

	/**
	 * The value with every variable replaced.
	 * @param value a string of the compose file
	 * @return the interpolated string
	 * @throws MissingVariableException when a required variable is unset (or empty, for
	 * {@code :?})
	 */
	public String interpolate(String value) {
		StringBuilder out = new StringBuilder();
		int i = 0;
		while (i < value.length()) {
			char c = value.charAt(i);
			if (c != '$' || i + 1 >= value.length()) {
				out.append(c);
				i++;
				continue;
			}
			char next = value.charAt(i + 1);
			if (next == '$') {
				out.append('$');
				i += 2;
			}
			else if (next == '{') {
				int end = closingBrace(value, i + 2);
				out.append(expand(value.substring(i + 2, end)));
				i = end + 1;
			}
			else if (Character.isLetter(next) || next == '_') {
				int end = i + 1;
				while (end < value.length()
						&& (Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '_')) {
					end++;
				}
				out.append(this.variables.getOrDefault(value.substring(i + 1, end), ""));
				i = end;
			}
			else {
				out.append(c);
				i++;
			}
		}
		return out.toString();
	}

	private String expand(String expression) {
		int name = 0;
		while (name < expression.length()
				&& (Character.isLetterOrDigit(expression.charAt(name)) || expression.charAt(name) == '_')) {
			name++;
		}
		String variable = expression.substring(0, name);
		if (variable.isEmpty()) {
			throw new IllegalArgumentException("Invalid interpolation format: ${" + expression + "}");
		}
		String value = this.variables.get(variable);
		String rest = expression.substring(name);
		if (rest.isEmpty()) {
			return (value != null) ? value : "";
		}
		boolean colon = rest.startsWith(":");
		String operator = rest.substring(colon ? 1 : 0, colon ? 2 : 1);
		String argument = rest.substring(colon ? 2 : 1);
		// With a colon, an empty value counts as unset.
		boolean set = (value != null) && !(colon && value.isEmpty());
		return switch (operator) {
			case "-" -> set ? value : interpolate(argument);
			case "+" -> set ? interpolate(argument) : "";
			case "?" -> {
				if (!set) {
					throw new MissingVariableException(variable, interpolate(argument));
				}
				yield value;
			}
			default -> throw new IllegalArgumentException("Invalid interpolation format: ${" + expression + "}");
		};
	}

	private static int closingBrace(String value, int from) {
		int depth = 1;
		for (int i = from; i < value.length(); i++) {
			if (value.charAt(i) == '{') {
				depth++;
			}
			else if (value.charAt(i) == '}' && --depth == 0) {
				return i;
			}
		}
		throw new IllegalArgumentException("Unclosed ${ in " + value);
	}

	/**
	 * Reads an env file as Compose does: {@code NAME=value} lines, {@code #} comments and
	 * blank lines, an optional {@code export}, values in single quotes taken literally,
	 * in double quotes or unquoted interpolated with the variables read before them.
	 * @param file the file
	 * @param before variables already known (earlier files)
	 * @return the variables of both, the file's winning
	 * @throws IOException if the file cannot be read
	 */
	public static Map<String, String> readEnvFile(Path file, Map<String, String> before) throws IOException {
		Map<String, String> variables = new LinkedHashMap<>(before);
		for (String raw : Files.readAllLines(file)) {
			String line = raw.strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			if (line.startsWith("export ")) {
				line = line.substring("export ".length()).strip();
			}
			int equals = line.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException(file + ": not NAME=value: " + raw);
			}
			String name = line.substring(0, equals).strip();
			String value = line.substring(equals + 1).strip();
			if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
				value = value.substring(1, value.length() - 1);
			}
			else {
				if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
					value = value.substring(1, value.length() - 1).replace("\\n", "\n").replace("\\\"", "\"");
				}
				else {
					int comment = value.indexOf(" #");
					value = (comment >= 0) ? value.substring(0, comment).strip() : value;
				}
				value = new ComposeInterpolation(variables).interpolate(value);
			}
			variables.put(name, value);
		}
		return variables;
	}

	/** A required variable ({@code ${VAR:?message}}) that is missing. */
	public static final class MissingVariableException extends IllegalArgumentException {

		private final String variable;

		MissingVariableException(String variable, String message) {
			super("required variable " + variable + " is missing a value: " + message);
			this.variable = variable;
		}

		public String variable() {
			return this.variable;
		}

	}

}
