package dev.switchboard.billing.reconciliation;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.WhatsAppPricing;

import static dev.switchboard.billing.web.Rows.utc;

/** Records Meta's pricing of a message, from the first status that carried it. */
@Component
public class MetaPricing {

	private final DatabaseClient database;

	MetaPricing(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * Records the status's pricing, if it has one and none was recorded for its message.
	 * @param status the status
	 * @return completion
	 */
	public Mono<Void> record(MessageStatusChanged status) {
		WhatsAppPricing pricing = status.pricing();
		if (pricing == null) {
			return Mono.empty();
		}
		return this.database.sql("""
				INSERT INTO meta_pricing (wamid, tenant_id, conversation_id, billable, category, pricing_model, type,
				                          status, reported_at)
				VALUES (:wamid, :tenant, :conversation, :billable, :category, :model, :type, :status, :at)
				ON CONFLICT (wamid) DO NOTHING""")
			.bind("wamid", status.wamid())
			.bind("tenant", status.tenantId())
			.bind("conversation", status.conversationId())
			.bind("billable", Parameter.fromOrEmpty(pricing.billable(), Boolean.class))
			.bind("category", Parameter.fromOrEmpty(pricing.category(), String.class))
			.bind("model", Parameter.fromOrEmpty(pricing.pricingModel(), String.class))
			.bind("type", Parameter.fromOrEmpty(pricing.type(), String.class))
			.bind("status", status.status())
			.bind("at", utc(status.at()))
			.then();
	}

}
