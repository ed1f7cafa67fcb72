package dev.switchboard.billing.invoice;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.switchboard.billing.charge.ChargeLine;
import dev.switchboard.billing.pricing.Currencies;

/** RFC 4180 CSV of an invoice and of the charges behind it. */
final class Csv {

	private Csv() {
	}

	static String invoice(InvoiceView invoice) {
		StringBuilder csv = new StringBuilder();
		row(csv, "number", "kind", "status", "month", "line", "line_kind", "description", "quantity", "unit_price",
				"amount", "currency");
		String number = (invoice.number() != null) ? invoice.number() : "";
		for (int index = 0; index < invoice.lines().size(); index++) {
			InvoiceLine line = invoice.lines().get(index);
			row(csv, number, invoice.kind(), invoice.status(), invoice.month(), Integer.toString(index + 1),
					line.kind(), line.description(), Long.toString(line.quantity()), line.unitPrice().toPlainString(),
					Currencies.format(line.amountMinor(), invoice.currency()), invoice.currency());
		}
		row(csv, number, invoice.kind(), invoice.status(), invoice.month(), "", "TOTAL", "Total", "", "",
				Currencies.format(invoice.totalMinor(), invoice.currency()), invoice.currency());
		return csv.toString();
	}

	static String charges(List<ChargeLine> charges) {
		StringBuilder csv = new StringBuilder();
		row(csv, "wamid", "conversation_id", "agent_id", "kind", "template_name", "category", "in_window", "charged",
				"late_reply", "country_code", "rate_card_id", "unit_price", "currency", "sent_at", "window_expires_at",
				"billable_at");
		for (ChargeLine line : charges) {
			row(csv, line.wamid(), line.conversationId(), line.agentId(), line.kind(), text(line.templateName()),
					line.category().name(), Boolean.toString(line.inWindow()), Boolean.toString(line.charged()),
					Boolean.toString(line.lateReply()), line.countryCode(),
					(line.rateCardId() != null) ? line.rateCardId().toString() : "", line.unitPrice().toPlainString(),
					line.currency(), line.sentAt().toString(), text(line.windowExpiresAt()),
					line.billableAt().toString());
		}
		return csv.toString();
	}

	private static String text(@Nullable Object value) {
		return (value != null) ? value.toString() : "";
	}

	private static String text(@Nullable Instant value) {
		return (value != null) ? value.toString() : "";
	}

	private static void row(StringBuilder csv, String... fields) {
		csv.append(Stream.of(fields).map(Csv::field).collect(Collectors.joining(","))).append("\r\n");
	}

	private static String field(String value) {
		// A leading formula character is neutralised for spreadsheets, except in numbers.
		boolean formula = !value.matches("-?\\d+(\\.\\d+)?") && !value.isEmpty()
				&& "=+-@".indexOf(value.charAt(0)) >= 0;
		String text = formula ? "'" + value : value;
		if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
			return "\"" + text.replace("\"", "\"\"") + "\"";
		}
		return text;
	}

}
