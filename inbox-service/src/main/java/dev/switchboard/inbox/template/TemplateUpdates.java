package dev.switchboard.inbox.template;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import dev.switchboard.events.WhatsAppTemplateUpdated;

/**
 * Applies Meta's template webhooks to the registry: a status update sets the status (and
 * the category and reason it names), a quality update the quality score, a category
 * update the category. Meta may deliver them late and out of order: a status older than
 * the one applied is ignored.
 */
@Service
public class TemplateUpdates {

	static final Set<String> STATUSES = Set.of("APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "FLAGGED",
			"IN_APPEAL", "PENDING_DELETION", "DELETED", "REINSTATED", "LIMIT_EXCEEDED", "ARCHIVED");

	static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");

	private final DatabaseClient database;

	private final Clock clock;

	private final MeterRegistry meters;

	TemplateUpdates(DatabaseClient database, Clock clock, MeterRegistry meters) {
		this.database = database;
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * The deduplication key of an update: the same report, replayed, is applied once.
	 * @param updated the update
	 * @return the key
	 */
	public static String key(WhatsAppTemplateUpdated updated) {
		return updated.tenantId() + ":template:" + updated.templateId() + ":" + updated.field() + ":"
				+ updated.timestamp().getEpochSecond() + ":" + updated.status() + ":" + updated.quality() + ":"
				+ updated.category();
	}

	/**
	 * Applies one update.
	 * @param updated the update, as the gateway verified it
	 * @return completion
	 */
	public Mono<Void> apply(WhatsAppTemplateUpdated updated) {
		String status = upper(updated.status());
		if (status != null && !STATUSES.contains(status)) {
			// A status Meta added later: counted, not applied, rather than refused
			// forever.
			this.meters.counter("switchboard.inbox.template.updates", "outcome", "unknown_status").increment();
			return Mono.empty();
		}
		String category = upper(updated.category());
		if (category != null && !CATEGORIES.contains(category)) {
			category = null;
		}
		this.meters.counter("switchboard.inbox.template.updates", "outcome", "applied").increment();
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		// A template Meta reports first (created in Business Manager, not here) gets a
		// row:
		// a quality or category report only concerns an approved template.
		return this.database.sql("""
				INSERT INTO template (tenant_id, name, language, category, status, created_at, updated_at,
				                      meta_template_id, quality, reason, source, meta_updated_at)
				VALUES (:tenant, :name, :language, :category, COALESCE(:status, 'APPROVED'), :now, :now,
				        :templateId, :quality, :reason, 'META', :at)
				ON CONFLICT (tenant_id, name, language) DO UPDATE SET
				    status = CASE WHEN :status IS NULL THEN template.status
				                  WHEN template.meta_updated_at IS NOT NULL AND template.meta_updated_at > :at
				                  THEN template.status ELSE :status END,
				    reason = CASE WHEN :status IS NULL THEN template.reason
				                  WHEN template.meta_updated_at IS NOT NULL AND template.meta_updated_at > :at
				                  THEN template.reason ELSE :reason END,
				    source = CASE WHEN :status IS NULL THEN template.source ELSE 'META' END,
				    meta_updated_at = CASE WHEN :status IS NULL THEN template.meta_updated_at
				                           ELSE GREATEST(template.meta_updated_at, :at) END,
				    category = COALESCE(:category, template.category),
				    quality = COALESCE(:quality, template.quality),
				    meta_template_id = :templateId,
				    updated_at = :now""")
			.bind("tenant", updated.tenantId())
			.bind("name", updated.name())
			.bind("language", updated.language())
			.bind("category", Parameter.fromOrEmpty(category, String.class))
			.bind("status", Parameter.fromOrEmpty(status, String.class))
			.bind("now", now)
			.bind("templateId", updated.templateId())
			.bind("quality", Parameter.fromOrEmpty(upper(updated.quality()), String.class))
			.bind("reason", Parameter.fromOrEmpty(status != null ? updated.reason() : null, String.class))
			.bind("at", OffsetDateTime.ofInstant(updated.timestamp(), ZoneOffset.UTC))
			.then();
	}

	private static String upper(String value) {
		return (value != null) ? value.toUpperCase(Locale.ROOT) : null;
	}

}
