package dev.switchboard.billing.charge;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.pricing.ChargeCategory;

import static dev.switchboard.billing.web.Rows.instant;
import static dev.switchboard.billing.web.Rows.instantOrNull;
import static dev.switchboard.billing.web.Rows.utc;
import static dev.switchboard.billing.web.Rows.value;

/** The recorded charge lines, once per wamid. */
@Repository
public class Charges {

	private final DatabaseClient database;

	private final Clock clock;

	Charges(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * Records a line unless its wamid already has one.
	 * @param tenantId the tenant
	 * @param line the line
	 * @return whether it was recorded
	 */
	Mono<Boolean> record(String tenantId, ChargeLine line) {
		return this.database.sql("""
				INSERT INTO charge (wamid, tenant_id, conversation_id, agent_id, kind, template_name, category,
				                    in_window, charged, late_reply, country_code, rate_card_id, unit_price, currency,
				                    sent_at, window_expires_at, billable_at, billing_month, recorded_at)
				VALUES (:wamid, :tenant, :conversation, :agent, :kind, :template, :category, :inWindow, :charged,
				        :lateReply, :country, :card, :price, :currency, :sentAt, :expiresAt, :billableAt, :month, :now)
				ON CONFLICT (wamid) DO NOTHING""")
			.bind("wamid", line.wamid())
			.bind("tenant", tenantId)
			.bind("conversation", line.conversationId())
			.bind("agent", line.agentId())
			.bind("kind", line.kind())
			.bind("template", Parameter.fromOrEmpty(line.templateName(), String.class))
			.bind("category", line.category().name())
			.bind("inWindow", line.inWindow())
			.bind("charged", line.charged())
			.bind("lateReply", line.lateReply())
			.bind("country", line.countryCode())
			.bind("card", Parameter.fromOrEmpty(line.rateCardId(), Long.class))
			.bind("price", line.unitPrice())
			.bind("currency", line.currency())
			.bind("sentAt", utc(line.sentAt()))
			.bind("expiresAt",
					Parameter.fromOrEmpty((line.windowExpiresAt() != null) ? utc(line.windowExpiresAt()) : null,
							java.time.OffsetDateTime.class))
			.bind("billableAt", utc(line.billableAt()))
			.bind("month", line.month().atDay(1))
			.bind("now", utc(this.clock.instant()))
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows > 0);
	}

	/**
	 * The charge lines of a month, as recorded.
	 * @param tenantId the tenant
	 * @param month the month the messages were delivered in
	 * @return the lines by delivery time
	 */
	public Mono<List<ChargeLine>> month(String tenantId, YearMonth month) {
		return this.database
			.sql("SELECT * FROM charge WHERE tenant_id = :tenant AND billing_month = :month"
					+ " ORDER BY billable_at, wamid")
			.bind("tenant", tenantId)
			.bind("month", month.atDay(1))
			.map(Charges::line)
			.all()
			.collectList();
	}

	private static ChargeLine line(Readable row) {
		return new ChargeLine(value(row, "wamid", String.class), value(row, "conversation_id", String.class),
				value(row, "agent_id", String.class), value(row, "kind", String.class),
				row.get("template_name", String.class), ChargeCategory.valueOf(value(row, "category", String.class)),
				value(row, "in_window", Boolean.class), value(row, "charged", Boolean.class),
				value(row, "late_reply", Boolean.class), value(row, "country_code", String.class),
				row.get("rate_card_id", Long.class), value(row, "unit_price", BigDecimal.class),
				value(row, "currency", String.class), instant(row, "sent_at"), instantOrNull(row, "window_expires_at"),
				instant(row, "billable_at"));
	}

}
