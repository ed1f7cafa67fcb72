package dev.switchboard.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.switchboard.events.EventTypes;

/**
 * What was acknowledged against what is stored: every webhook the gateway answered 200
 * for is in {@code inbox.message} exactly once (by wamid) and in the audit log exactly
 * once, no charge or audit entry twice, windows and assignments consistent with the
 * messages, and the audit log verifies.
 */
final class Reconciliation {

	private Reconciliation() {
	}

	/**
	 * Waits (up to {@code timeout}) until every acknowledged message is stored and
	 * audited, then checks everything.
	 * @param harness the platform
	 * @param scenario the scenario's name
	 * @param acked every inbound wamid the gateway acknowledged so far (all scenarios)
	 * @param ownerToken an OWNER's token
	 * @param timeout how long the platform may take to catch up
	 * @return the outcome
	 */
	static Outcome check(Harness harness, String scenario, Set<String> acked, String ownerToken, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		Outcome outcome = checkOnce(harness, scenario, acked, ownerToken);
		// the platform is eventually consistent: wait until it has caught up, or the
		// deadline
		while (!outcome.passed() && Instant.now().isBefore(deadline)) {
			Processes.sleep(1000);
			outcome = checkOnce(harness, scenario, acked, ownerToken);
		}
		return outcome;
	}

	private static Outcome checkOnce(Harness harness, String scenario, Set<String> acked, String ownerToken) {
		Postgres db = harness.postgres();
		String name = harness.database();
		Set<String> stored = set(db.rows(name, "SELECT wamid FROM inbox.message WHERE direction = 'INBOUND'"));
		Set<String> audited = set(db.rows(name, "SELECT payload->>'wamid' FROM audit.audit_entry WHERE event_type = ?",
				EventTypes.MESSAGE_RECEIVED));
		List<String> problems = new ArrayList<>();
		Set<String> finalStored = stored;
		Set<String> finalAudited = audited;
		long notStored = acked.stream().filter((wamid) -> !finalStored.contains(wamid)).count();
		long notAudited = acked.stream().filter((wamid) -> !finalAudited.contains(wamid)).count();
		long duplicateMessages = db.number(name,
				"SELECT count(*) FROM (SELECT wamid FROM inbox.message WHERE wamid IS NOT NULL GROUP BY tenant_id, wamid HAVING count(*) > 1) d");
		long duplicateAudit = db.number(name,
				"SELECT count(*) FROM (SELECT payload->>'wamid', payload->>'status' FROM audit.audit_entry WHERE event_type IN (?, ?)"
						+ " GROUP BY 1, 2 HAVING count(*) > 1) d",
				EventTypes.MESSAGE_RECEIVED, EventTypes.MESSAGE_STATUS_CHANGED);
		long duplicateCharges = db.number(name, "SELECT count(*) - count(DISTINCT wamid) FROM billing.charge");
		long deliveredWithoutCharge = db.number(name,
				"SELECT count(*) FROM inbox.message m WHERE m.direction = 'OUTBOUND' AND m.status IN ('DELIVERED', 'READ')"
						+ " AND NOT EXISTS (SELECT 1 FROM billing.charge c WHERE c.wamid = m.wamid)");
		long windowsInconsistent = db.number(name,
				"SELECT count(*) FROM (SELECT m.conversation_id, max(m.whatsapp_timestamp) AS latest FROM inbox.message m"
						+ " WHERE m.direction = 'INBOUND' GROUP BY m.conversation_id) c"
						+ " LEFT JOIN routing.conversation_window w ON w.conversation_id = c.conversation_id"
						+ " WHERE w.conversation_id IS NULL OR w.last_customer_message_at <> c.latest"
						+ " OR w.expires_at <> c.latest + interval '24 hours'");
		long unassigned = db.number(name,
				"SELECT count(*) FROM inbox.conversation c LEFT JOIN routing.assignment a ON a.conversation_id = c.id"
						+ " WHERE a.conversation_id IS NULL OR (a.state = 'ASSIGNED' AND a.agent_id IS NULL)"
						+ " OR a.state NOT IN ('ASSIGNED', 'QUEUED', 'RESOLVED')");
		long overCapacity = db.number(name,
				"SELECT count(*) FROM (SELECT a.agent_id FROM routing.assignment a JOIN routing.agent g ON g.agent_id = a.agent_id"
						+ " WHERE a.state = 'ASSIGNED' GROUP BY a.agent_id, g.capacity HAVING count(*) > g.capacity) o");
		JsonNode verification = harness.gateway().json(ownerToken, "GET", "/api/v1/audit/verify", null, 200);
		boolean auditValid = verification.path("valid").asBoolean(false);
		check(problems, notStored, "acknowledged messages lost (not in inbox.message)");
		check(problems, notAudited, "acknowledged messages missing from the audit log");
		check(problems, duplicateMessages, "duplicate messages");
		check(problems, duplicateAudit, "duplicate audit entries");
		check(problems, duplicateCharges, "duplicate charges");
		check(problems, deliveredWithoutCharge, "delivered outbound messages without a charge");
		check(problems, windowsInconsistent, "windows inconsistent with the messages");
		check(problems, unassigned, "conversations without a consistent assignment");
		check(problems, overCapacity, "agents over capacity");
		if (!auditValid) {
			problems.add("the audit log does not verify: " + verification);
		}
		long charges = db.number(name, "SELECT count(*) FROM billing.charge");
		return new Outcome(scenario, acked.size(), finalStored.size(), notStored, duplicateMessages, notAudited,
				duplicateAudit, charges, duplicateCharges, windowsInconsistent, unassigned, auditValid, problems);
	}

	private static void check(List<String> problems, long count, String what) {
		if (count != 0) {
			problems.add(count + " " + what);
		}
	}

	private static Set<String> set(List<List<String>> rows) {
		Set<String> values = new HashSet<>(rows.size());
		for (List<String> row : rows) {
			if (row.getFirst() != null) {
				values.add(row.getFirst());
			}
		}
		return values;
	}

	/**
	 * One scenario's reconciliation.
	 *
	 * @param scenario its name
	 * @param acknowledged inbound webhooks acknowledged so far
	 * @param stored inbound messages stored
	 * @param lost acknowledged but not stored
	 * @param duplicateMessages wamids stored twice
	 * @param notAudited acknowledged but not in the audit log
	 * @param duplicateAudit audit entries twice for one message or status
	 * @param charges charge lines
	 * @param duplicateCharges charge lines twice for one wamid
	 * @param windowsInconsistent conversations whose window does not match their messages
	 * @param assignmentsInconsistent conversations without a consistent assignment
	 * @param auditValid whether {@code GET /api/v1/audit/verify} is valid
	 * @param problems what failed, empty when it passed
	 */
	record Outcome(String scenario, long acknowledged, long stored, long lost, long duplicateMessages, long notAudited,
			long duplicateAudit, long charges, long duplicateCharges, long windowsInconsistent,
			long assignmentsInconsistent, boolean auditValid, List<String> problems) {

		boolean passed() {
			return this.problems.isEmpty();
		}

	}

}
