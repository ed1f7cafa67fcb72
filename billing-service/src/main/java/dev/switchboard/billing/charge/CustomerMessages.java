package dev.switchboard.billing.charge;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.support.consumer.BatchWrites;

/**
 * The customers' messages, by WhatsApp timestamp: whether a reply fell inside the
 * customer-service window. A batch's messages are written with one statement, before the
 * commit or before a charge of the batch reads them ({@link #written}).
 */
@Component
class CustomerMessages {

	private final DatabaseClient database;

	private final Function<List<Row>, Mono<Void>> writer = this::write;

	CustomerMessages(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * Records a customer's message once (by {@code wamid}).
	 * @param received the message
	 * @return completion
	 */
	Mono<Void> record(MessageReceived received) {
		return BatchWrites.add(this.writer,
				new Row(received.wamid(), received.tenantId(), received.conversationId(), received.sentAt()));
	}

	/**
	 * Makes the batch's messages so far readable, before a charge is decided.
	 * @return completion
	 */
	Mono<Void> written() {
		return BatchWrites.writeNow(this.writer);
	}

	private Mono<Void> write(List<Row> rows) {
		return this.database.sql("""
				INSERT INTO customer_message (wamid, tenant_id, conversation_id, sent_at)
				SELECT w, t, c, CAST(s AS timestamptz)
				FROM unnest(CAST(:wamids AS text[]), CAST(:tenants AS text[]), CAST(:conversations AS text[]),
				            CAST(:sentAt AS text[])) AS r(w, t, c, s)
				ON CONFLICT (wamid) DO NOTHING""")
			.bind("wamids", BatchWrites.column(rows, Row::wamid))
			.bind("tenants", BatchWrites.column(rows, Row::tenantId))
			.bind("conversations", BatchWrites.column(rows, Row::conversationId))
			.bind("sentAt", BatchWrites.column(rows, (row) -> row.sentAt().toString()))
			.then();
	}

	private record Row(String wamid, String tenantId, String conversationId, Instant sentAt) {

	}

}
