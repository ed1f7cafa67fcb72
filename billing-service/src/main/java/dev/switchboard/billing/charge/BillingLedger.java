package dev.switchboard.billing.charge;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.reconciliation.MetaPricing;
import dev.switchboard.billing.usage.ConversationUsage;
import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.support.consumer.EventProcessor;

import static dev.switchboard.billing.web.Rows.utc;

/**
 * Consumes the inbox's and routing's events billing depends on (bound as
 * {@code recordBillingEvent-in-0} to both topics). Each event, once per {@code ce_id}: is
 * appended to the event ledger as it travelled, updates the tables charges are derived
 * from, and charges the message it concerns if that became billable.
 */
@Configuration(proxyBeanMethods = false)
class BillingLedger {

	static final String CONSUMER = "billing.ledger";

	private static final Set<Class<? extends SwitchboardEvent>> HANDLED = Set.of(MessageReceived.class,
			MessageSent.class, MessageStatusChanged.class, ConversationAssigned.class);

	@Bean
	Consumer<Message<List<byte[]>>> recordBillingEvent(EventProcessor processor, DatabaseClient database,
			ConversationUsage usage, ChargeRecorder recorder, EventLedger ledger, CustomerMessages customerMessages,
			MetaPricing pricing) {
		return (batch) -> processor.processAllIf(CONSUMER, batch,
				(record) -> !EventProcessor.ofOtherType(record, HANDLED), (envelope) -> true,
				(envelope) -> switch (envelope.event()) {
					case MessageReceived received -> ledger.append(envelope, received.sentAt())
						.then(usage.record(received))
						.then(customerMessages.record(received));
					case MessageSent sent -> ledger.append(envelope, sent.sentAt())
						.then(database
							.sql("""
									INSERT INTO outbound_message (wamid, tenant_id, conversation_id, wa_id, agent_id, device_id,
									                              kind, template_name, template_category, sent_at)
									VALUES (:wamid, :tenant, :conversation, :waId, :agent, :device, :kind, :template,
									        :category, :sentAt)
									ON CONFLICT (wamid) DO NOTHING""")
							.bind("wamid", sent.wamid())
							.bind("tenant", sent.tenantId())
							.bind("conversation", sent.conversationId())
							.bind("waId", sent.waId())
							.bind("agent", sent.agentId())
							.bind("device", sent.deviceId())
							.bind("kind", sent.kind())
							.bind("template", Parameter.fromOrEmpty(sent.templateName(), String.class))
							.bind("category", Parameter.fromOrEmpty(sent.templateCategory(), String.class))
							.bind("sentAt", utc(sent.sentAt()))
							.then())
						.then(recorder.chargeIfBillable(sent.tenantId(), sent.wamid()));
					case MessageStatusChanged status -> ledger.append(envelope, status.at())
						.then(database
							.sql("""
									INSERT INTO message_status (wamid, tenant_id, status, at) VALUES (:wamid, :tenant, :status, :at)
									ON CONFLICT (wamid, status) DO NOTHING""")
							.bind("wamid", status.wamid())
							.bind("tenant", status.tenantId())
							.bind("status", status.status())
							.bind("at", utc(status.at()))
							.then())
						.then(pricing.record(status))
						.then(recorder.chargeIfBillable(status.tenantId(), status.wamid()));
					case ConversationAssigned assigned -> ledger.append(envelope, assigned.assignedAt())
						.then(database
							.sql("""
									INSERT INTO assignment (event_id, tenant_id, conversation_id, agent_id, team_id, assigned_at)
									VALUES (:id, :tenant, :conversation, :agent, :team, :at) ON CONFLICT DO NOTHING""")
							.bind("id", envelope.id())
							.bind("tenant", assigned.tenantId())
							.bind("conversation", assigned.conversationId())
							.bind("agent", assigned.agentId())
							.bind("team", assigned.teamId())
							.bind("at", utc(assigned.assignedAt()))
							.then());
					default -> Mono.empty();
				});
	}

}
