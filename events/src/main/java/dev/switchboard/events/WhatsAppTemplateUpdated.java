package dev.switchboard.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Meta changed one of the tenant's message templates: its review status
 * ({@code message_template_status_update}), its quality rating
 * ({@code message_template_quality_update}) or its category
 * ({@code template_category_update}). Tenant-wide, keyed by tenant.
 *
 * @param tenantId the tenant whose WhatsApp Business Account owns the template
 * @param wabaId the WhatsApp Business Account id ({@code entry[].id})
 * @param field the webhook field
 * @param templateId Meta's template id
 * @param name the template's name
 * @param language its language code, as {@code en_US}
 * @param status the new review status ({@code APPROVED}, {@code REJECTED},
 * {@code PAUSED}, ...), for a status update
 * @param category the template's category, when Meta named it
 * @param quality the new quality score ({@code GREEN}, {@code YELLOW}, {@code RED},
 * {@code UNKNOWN}), for a quality update
 * @param reason why, for a rejection or a pause ({@code NONE} otherwise)
 * @param timestamp when Meta reported it ({@code entry[].time})
 * @param change the change's {@code value} exactly as Meta sent it (JSON)
 */
public record WhatsAppTemplateUpdated(String tenantId, String wabaId, String field, String templateId, String name,
		String language, @Nullable String status, @Nullable String category, @Nullable String quality,
		@Nullable String reason, Instant timestamp, String change) implements GatewayEvent {

	@Override
	public @Nullable String conversationId() {
		return null;
	}

}
