package dev.switchboard.console.language;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every language of the console has every message the English bundle has, and no other.
 */
class MessageBundlesTests {

	@Test
	void whenTheConsoleSpeaksALanguageThenItsBundleHasExactlyTheEnglishKeys() throws IOException {
		Set<String> english = keys("messages.properties");
		assertThat(english).hasSizeGreaterThan(100);
		for (Locale language : Languages.SUPPORTED) {
			if (language.equals(Locale.ENGLISH)) {
				continue;
			}
			String bundle = "messages_" + language.getLanguage() + ".properties";
			assertThat(keys(bundle)).as(bundle).containsExactlyElementsOf(english);
		}
	}

	private static Set<String> keys(String name) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = MessageBundlesTests.class.getClassLoader().getResourceAsStream(name)) {
			assertThat(in).as(name).isNotNull();
			properties.load(in);
		}
		return new TreeSet<>(properties.stringPropertyNames());
	}

}
