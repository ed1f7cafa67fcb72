package dev.switchboard.audit.witness;

import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the audit log's checkpoints are witnessed ({@code switchboard.audit.witness}).
 *
 * @param type {@code directory}, {@code http} or {@code none}; when unset, directory if
 * {@code directory} is set, http if {@code url} is set, and otherwise the service refuses
 * to start (going without a witness is a choice to write down)
 * @param directory the append-only directory of the {@code directory} witness
 * @param url the base URL of the {@code http} witness
 * @param origin the prefix of every checkpoint's origin line; a tenant's log is
 * {@code <origin>/<tenant>}
 * @param retryInterval how often checkpoints the witness missed are written again
 * @param timeout how long one call to the HTTP witness may take
 */
@ConfigurationProperties("switchboard.audit.witness")
public record WitnessProperties(@Nullable String type, @Nullable String directory, @Nullable String url,
		@DefaultValue("switchboard.dev/audit") String origin, @DefaultValue("30s") Duration retryInterval,
		@DefaultValue("5s") Duration timeout) {

	/** The kinds of witness. */
	public enum Type {

		DIRECTORY, HTTP, NONE

	}

	/**
	 * The witness to use.
	 * @return the configured or implied type
	 * @throws IllegalStateException when nothing is configured
	 */
	public Type resolvedType() {
		if (hasText(this.type)) {
			try {
				return Type.valueOf(this.type.strip().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"switchboard.audit.witness.type must be directory, http or none, not " + this.type, ex);
			}
		}
		if (hasText(this.directory)) {
			return Type.DIRECTORY;
		}
		if (hasText(this.url)) {
			return Type.HTTP;
		}
		throw new IllegalStateException("No witness for the audit log's checkpoints: set "
				+ "SWITCHBOARD_AUDIT_WITNESS_DIRECTORY (an append-only directory), SWITCHBOARD_AUDIT_WITNESS_URL "
				+ "(an HTTP witness) or, to run without one, SWITCHBOARD_AUDIT_WITNESS_TYPE=none");
	}

	static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

}
