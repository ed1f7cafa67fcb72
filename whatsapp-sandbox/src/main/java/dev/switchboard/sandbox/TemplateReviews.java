package dev.switchboard.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The templates Meta has reviewed in this sandbox, by {@code name:language}: the id Meta
 * gave each and the category it was approved in, which prices its sends.
 */
final class TemplateReviews {

	private final Map<String, Template> templates = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong(806312974732579L);

	/**
	 * @param category its category, or null to keep the one reviewed before
	 * @return the template as reviewed now
	 */
	Template review(String name, String language, @Nullable String category) {
		return this.templates.compute(key(name, language),
				(key, known) -> new Template((known != null) ? known.id() : this.ids.incrementAndGet(),
						(category != null) ? category : (known != null) ? known.category() : null));
	}

	/**
	 * @return the template, given an id if it was never reviewed
	 */
	Template known(String name, String language) {
		return this.templates.computeIfAbsent(key(name, language),
				(key) -> new Template(this.ids.incrementAndGet(), null));
	}

	/**
	 * @return the category the template was reviewed in, {@code UTILITY} if it never was
	 */
	String category(String name, String language) {
		Template template = this.templates.get(key(name, language));
		return (template != null && template.category() != null) ? template.category() : "UTILITY";
	}

	private static String key(String name, String language) {
		return name + ":" + language;
	}

	record Template(long id, @Nullable String category) {

	}

}
