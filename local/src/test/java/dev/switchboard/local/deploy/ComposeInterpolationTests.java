package dev.switchboard.local.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compose's interpolation rules, as the Compose Specification states them. */
class ComposeInterpolationTests {

	private final ComposeInterpolation interpolation = new ComposeInterpolation(
			Map.of("SET", "value", "EMPTY", "", "OTHER", "other"));

	@Test
	void whenAVariableIsSetThenBothFormsGiveItsValue() {
		assertThat(this.interpolation.interpolate("a ${SET} b $SET c")).isEqualTo("a value b value c");
		assertThat(this.interpolation.interpolate("${UNSET}|$UNSET")).isEqualTo("|");
	}

	@Test
	void whenADefaultIsGivenThenColonDashCoversEmptyAndDashOnlyUnset() {
		assertThat(this.interpolation.interpolate("${UNSET:-d}")).isEqualTo("d");
		assertThat(this.interpolation.interpolate("${EMPTY:-d}")).isEqualTo("d");
		assertThat(this.interpolation.interpolate("${EMPTY-d}")).isEmpty();
		assertThat(this.interpolation.interpolate("${SET:-d}")).isEqualTo("value");
		assertThat(this.interpolation.interpolate("${UNSET:-${OTHER}}")).isEqualTo("other");
		assertThat(this.interpolation.interpolate("${UNSET:-127.0.0.1}:8080:8080")).isEqualTo("127.0.0.1:8080:8080");
	}

	@Test
	void whenARequiredVariableIsMissingThenTheErrorNamesItAndGivesTheMessage() {
		assertThatThrownBy(() -> this.interpolation.interpolate("${UNSET:?set UNSET to the key}"))
			.isInstanceOf(ComposeInterpolation.MissingVariableException.class)
			.hasMessageContaining("UNSET")
			.hasMessageContaining("set UNSET to the key")
			.satisfies((ex) -> assertThat(((ComposeInterpolation.MissingVariableException) ex).variable())
				.isEqualTo("UNSET"));
		assertThatThrownBy(() -> this.interpolation.interpolate("${EMPTY:?empty}"))
			.isInstanceOf(ComposeInterpolation.MissingVariableException.class);
		assertThat(this.interpolation.interpolate("${EMPTY?only unset}")).isEmpty();
		assertThat(this.interpolation.interpolate("${SET:?m}")).isEqualTo("value");
	}

	@Test
	void whenAlternativesOrEscapesAreWrittenThenTheyFollowTheSpecification() {
		assertThat(this.interpolation.interpolate("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}"))
			.isEqualTo("alt||alt|");
		assertThat(this.interpolation.interpolate("$${SET} costs $$5")).isEqualTo("${SET} costs $5");
		assertThatThrownBy(() -> this.interpolation.interpolate("${SET")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> this.interpolation.interpolate("${:-x}")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void whenAnEnvFileIsReadThenQuotesCommentsExportAndEarlierFilesCount(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("test.env");
		Files.writeString(file, """
				# a comment
				export A=1
				B='{"kty":"EC","x":"$A"}'
				C="quoted $A"
				D=plain # trailing comment
				E=${EARLIER:-none}

				""");
		Map<String, String> variables = ComposeInterpolation.readEnvFile(file, Map.of("EARLIER", "kept"));
		assertThat(variables).containsEntry("A", "1")
			.containsEntry("B", "{\"kty\":\"EC\",\"x\":\"$A\"}")
			.containsEntry("C", "quoted 1")
			.containsEntry("D", "plain")
			.containsEntry("E", "kept")
			.containsEntry("EARLIER", "kept");
	}

}
