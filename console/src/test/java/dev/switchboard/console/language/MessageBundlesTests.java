package dev.switchboard.console.language;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four languages say the same things: every bundle has the English bundle's keys and
 * no other, none is blank, and every message key a template names exists.
 */
class MessageBundlesTests {

	private static final Pattern KEY = Pattern.compile("#\\{([a-zA-Z][a-zA-Z0-9.\\-]*[a-zA-Z0-9])[(}]");

	@Test
	void whenTheBundlesAreComparedThenTheyHaveTheSameKeys() throws IOException {
		Properties english = bundle("messages.properties");
		assertThat(english).isNotEmpty();
		for (String language : new String[] { "it", "es", "hu" }) {
			Properties translated = bundle("messages_" + language + ".properties");
			assertThat(new TreeSet<>(translated.stringPropertyNames())).as(language)
				.isEqualTo(new TreeSet<>(english.stringPropertyNames()));
			translated.forEach((key, value) -> assertThat(value.toString()).as(language + " " + key).isNotBlank());
		}
	}

	@Test
	void whenATemplateNamesAMessageThenTheBundleHasIt() throws IOException {
		Set<String> keys = bundle("messages.properties").stringPropertyNames();
		Set<String> used = new TreeSet<>();
		try (Stream<Path> templates = Files.walk(Path.of("src/main/resources/templates"))) {
			for (Path template : templates.filter((path) -> path.toString().endsWith(".html")).toList()) {
				Matcher matcher = KEY.matcher(Files.readString(template));
				while (matcher.find()) {
					used.add(matcher.group(1));
				}
			}
		}
		assertThat(used).isNotEmpty();
		assertThat(keys).containsAll(used);
	}

	@Test
	void whenTheSupportedLanguagesAreListedThenEachHasABundle() {
		for (java.util.Locale locale : Languages.SUPPORTED) {
			String name = locale.equals(java.util.Locale.ENGLISH) ? "messages.properties"
					: "messages_" + locale.getLanguage() + ".properties";
			assertThat(getClass().getResource("/" + name)).as(name).isNotNull();
		}
	}

	private Properties bundle(String name) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = getClass().getResourceAsStream("/" + name)) {
			assertThat(in).as(name).isNotNull();
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return properties;
	}

}
