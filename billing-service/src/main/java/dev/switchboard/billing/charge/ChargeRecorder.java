package dev.switchboard.billing.charge;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import static dev.switchboard.billing.web.Rows.instant;
import static dev.switchboard.billing.web.Rows.instantOrNull;
import static dev.switchboard.billing.web.Rows.value;

/**
 * Charges an outbound message once it is billable: known (its {@code MessageSent} was
 * consumed), delivered (or read, if delivery was never reported), never failed, and not
 * charged yet. Called after each of those facts arrives, in whichever order.
 */
@Component
class ChargeRecorder {

	private final DatabaseClient database;

	private final ChargePolicy policy;

	private final Charges charges;

	private final MeterRegistry meters;

	private final CustomerMessages customerMessages;

	ChargeRecorder(DatabaseClient database, ChargePolicy policy, Charges charges, MeterRegistry meters,
			CustomerMessages customerMessages) {
		this.customerMessages = customerMessages;
		this.database = database;
		this.policy = policy;
		this.charges = charges;
		this.meters = meters;
	}

	Mono<Void> chargeIfBillable(String tenantId, String wamid) {
		return this.customerMessages.written()
			.then(this.database
				.sql("""
						SELECT o.*, last.at AS last_customer_at,
						       COALESCE((SELECT at FROM message_status s WHERE s.wamid = o.wamid AND s.status = 'DELIVERED'),
						                (SELECT at FROM message_status s WHERE s.wamid = o.wamid AND s.status = 'READ'))
						           AS billable_at,
						       EXISTS (SELECT 1 FROM message_status s WHERE s.wamid = o.wamid AND s.status = 'FAILED') AS failed,
						       EXISTS (SELECT 1 FROM charge c WHERE c.wamid = o.wamid) AS charged,
						       EXISTS (SELECT 1 FROM outbound_message p
						               WHERE p.conversation_id = o.conversation_id AND p.wamid <> o.wamid
						                 AND p.sent_at > last.at AND p.sent_at < o.sent_at) AS answered
						FROM outbound_message o
						LEFT JOIN LATERAL (SELECT max(m.sent_at) AS at FROM customer_message m
						                   WHERE m.conversation_id = o.conversation_id AND m.sent_at <= o.sent_at) last ON true
						WHERE o.wamid = :wamid AND o.tenant_id = :tenant""")
				.bind("wamid", wamid)
				.bind("tenant", tenantId)
				.map(ChargeRecorder::facts)
				.one()
				.flatMap((billable) -> billable.facts() != null ? this.policy.line(billable.facts()) : Mono.empty())
				.flatMap((line) -> this.charges.record(tenantId, line).doOnNext((recorded) -> {
					if (recorded) {
						this.meters
							.counter("switchboard.billing.charges", "category", line.category().name(), "charged",
									Boolean.toString(line.charged()), "late_reply", Boolean.toString(line.lateReply()))
							.increment();
					}
				}))
				.then());
	}

	private static Billable facts(Readable row) {
		boolean billable = row.get("billable_at", java.time.OffsetDateTime.class) != null
				&& !value(row, "failed", Boolean.class) && !value(row, "charged", Boolean.class);
		if (!billable) {
			return new Billable(null);
		}
		return new Billable(new OutboundFacts(value(row, "tenant_id", String.class), value(row, "wamid", String.class),
				value(row, "conversation_id", String.class), value(row, "wa_id", String.class),
				value(row, "agent_id", String.class), value(row, "kind", String.class),
				row.get("template_name", String.class), row.get("template_category", String.class),
				instant(row, "sent_at"), instantOrNull(row, "last_customer_at"), value(row, "answered", Boolean.class),
				instant(row, "billable_at")));
	}

	private record Billable(@org.jspecify.annotations.Nullable OutboundFacts facts) {

	}

}
