package dev.switchboard.audit.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.swagger.v3.oas.annotations.Operation;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.audit.web.Page;
import dev.switchboard.audit.web.Refusals;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/**
 * Search and export of a tenant's audit log, for owners and admins. Exports carry, per
 * entry, what an outside party needs to check it: the stored form the leaf hash covers,
 * and the inclusion proof in a tree head signed for the export.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditQueryController {

	static final MediaType JSON_LINES = MediaType.parseMediaType("application/jsonl");

	static final MediaType CSV = MediaType.parseMediaType("text/csv");

	private final AuditSearch search;

	private final AuditLog log;

	private final TreeHeads treeHeads;

	private final TreeHeadSigner signer;

	private final PersonalData personalData;

	private final Refusals refusals;

	private final JsonMapper json;

	AuditQueryController(AuditSearch search, AuditLog log, TreeHeads treeHeads, TreeHeadSigner signer,
			PersonalData personalData, Refusals refusals, JsonMapper json) {
		this.search = search;
		this.log = log;
		this.treeHeads = treeHeads;
		this.signer = signer;
		this.personalData = personalData;
		this.refusals = refusals;
		this.json = json;
	}

	@Operation(operationId = "listAuditEntries", summary = "Search the audit log's entries")
	@GetMapping("/entries")
	Mono<Page<EntryView>> entries(Caller caller, @RequestParam(required = false) @Nullable String contactId,
			@RequestParam(required = false) @Nullable String agentId,
			@RequestParam(required = false) @Nullable String deviceId,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		AuditSearch.Criteria criteria = criteria(contactId, agentId, deviceId, type, from, to);
		int checkedLimit = this.refusals.limit(limit);
		Long after = cursor(cursor);
		return this.search.find(caller.tenantId(), criteria, after, null, checkedLimit + 1)
			.zipWith(this.personalData.reader(caller.tenantId()))
			.map((both) -> Page.of(both.getT1().stream().map((found) -> view(found, both.getT2())).toList(),
					checkedLimit, (last) -> encodeCursor(last.logIndex())));
	}

	@Operation(operationId = "exportAuditEntries", summary = "Export the audit log's entries as CSV")
	@GetMapping("/export")
	Mono<ResponseEntity<String>> export(Caller caller, @RequestParam(required = false) @Nullable String contactId,
			@RequestParam(required = false) @Nullable String agentId,
			@RequestParam(required = false) @Nullable String deviceId,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(defaultValue = "jsonl") String format) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		AuditSearch.Criteria criteria = criteria(contactId, agentId, deviceId, type, from, to);
		if (criteria.contactId() == null && (criteria.from() == null || criteria.to() == null)) {
			throw invalid("Export a period (from and to) or a contact (contactId)");
		}
		String wanted = format.strip().toLowerCase(Locale.ROOT);
		if (!wanted.equals("jsonl") && !wanted.equals("csv")) {
			throw invalid("format must be jsonl or csv");
		}
		String tenant = caller.tenantId();
		return this.treeHeads.signNow(tenant)
			.flatMap((head) -> this.log.entries(tenant)
				.take(head.treeSize())
				.map(AuditEntry::leafHash)
				.collectList()
				.zipWith(this.search.find(tenant, criteria, null, head.treeSize(), null))
				.zipWith(this.personalData.reader(tenant))
				.map((all) -> {
					List<byte[]> leaves = all.getT1().getT1();
					List<ExportLine> lines = all.getT1()
						.getT2()
						.stream()
						.map((found) -> line(found, all.getT2(), leaves, head))
						.toList();
					return respond(head, wanted, lines);
				}))
			.switchIfEmpty(Mono.fromSupplier(() -> respond(null, wanted, List.of())));
	}

	private ResponseEntity<String> respond(@Nullable TreeHead head, String format, List<ExportLine> lines) {
		boolean csv = format.equals("csv");
		String body = csv ? csv(lines)
				: lines.stream().map((line) -> this.json.writeValueAsString(line) + "\n").collect(Collectors.joining());
		ResponseEntity.BodyBuilder response = ResponseEntity.ok()
			.contentType(csv ? CSV : JSON_LINES)
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-export." + format + "\"");
		if (head != null) {
			response.header("X-Switchboard-Tree-Size", Long.toString(head.treeSize()))
				.header("X-Switchboard-Root-Hash", hex(head.rootHash()))
				.header("X-Switchboard-Tree-Head-Signed-At", head.signedAt().toString())
				.header("X-Switchboard-Tree-Head-Key-Id", head.keyId())
				.header("X-Switchboard-Tree-Head-Signature", Base64.getEncoder().encodeToString(head.signature()))
				.header("X-Switchboard-Public-Key", this.signer.publicKeyBase64());
		}
		return response.body(body);
	}

	private ExportLine line(AuditSearch.Found found, PersonalData.BodyReader reader, List<byte[]> leaves,
			TreeHead head) {
		EntryView view = view(found, reader);
		AuditEntry entry = found.entry();
		List<String> path = MerkleTree.inclusionPath(leaves, (int) entry.logIndex(), (int) head.treeSize())
			.stream()
			.map(AuditQueryController::hex)
			.toList();
		return new ExportLine(entry.tenantId(), entry.logIndex(), entry.eventId(), entry.eventType(),
				entry.occurredAt(), entry.recordedAt(), entry.conversationId(), view.actor(), view.contactId(),
				view.agentId(), view.deviceId(), view.body(), view.bodyErased(), entry.payload(), hex(entry.leafHash()),
				new Proof(head.treeSize(), hex(head.rootHash()), path));
	}

	private EntryView view(AuditSearch.Found found, PersonalData.BodyReader reader) {
		AuditEntry entry = found.entry();
		JsonNode payload = this.json.readTree(entry.payload());
		String agent = text(payload, "agentId");
		String contact = text(payload, "contactId");
		PersonalData.Body body = reader.body(entry);
		String actor = (agent != null) ? agent : EventTypes.MESSAGE_RECEIVED.equals(entry.eventType()) ? "customer"
				: (text(payload, "by") != null) ? text(payload, "by") : "system";
		return new EntryView(entry.logIndex(), entry.eventId(), entry.eventType(), entry.occurredAt(),
				entry.recordedAt(), entry.conversationId(), actor,
				(contact != null) ? contact : found.conversationContact(), agent, text(payload, "deviceId"),
				body.text(), body.erased(), payload);
	}

	private AuditSearch.Criteria criteria(@Nullable String contactId, @Nullable String agentId,
			@Nullable String deviceId, @Nullable String type, @Nullable String from, @Nullable String to) {
		Instant since = instant("from", from);
		Instant until = instant("to", to);
		if (since != null && until != null && !since.isBefore(until)) {
			throw invalid("from must be before to");
		}
		return new AuditSearch.Criteria(blankToNull(contactId), blankToNull(agentId), blankToNull(deviceId),
				blankToNull(type), since, until);
	}

	private @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value.strip());
		}
		catch (DateTimeParseException ex) {
			throw invalid(name + " must be an RFC 3339 timestamp in UTC, e.g. 2026-01-31T00:00:00Z");
		}
	}

	private @Nullable Long cursor(@Nullable String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			return Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
		}
		catch (IllegalArgumentException ex) {
			throw this.refusals.badCursor();
		}
	}

	private static String encodeCursor(long logIndex) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(Long.toString(logIndex).getBytes(StandardCharsets.UTF_8));
	}

	private RuntimeException invalid(String detail) {
		return this.refusals.refuse(HttpStatus.BAD_REQUEST, "invalid-audit-query", "Invalid audit query", detail);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private static @Nullable String text(JsonNode payload, String field) {
		JsonNode value = payload.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static String csv(List<ExportLine> lines) {
		StringBuilder out = new StringBuilder(
				"logIndex,eventId,eventType,occurredAt,recordedAt,conversationId,actor,contactId,agentId,deviceId,"
						+ "body,bodyErased,storedPayload,leafHash,treeSize,rootHash,auditPath\r\n");
		for (ExportLine line : lines) {
			out.append(String.join(",", Long.toString(line.logIndex()), cell(line.eventId()), cell(line.eventType()),
					cell(line.occurredAt().toString()), cell(line.recordedAt().toString()), cell(line.conversationId()),
					cell(line.actor()), cell(line.contactId()), cell(line.agentId()), cell(line.deviceId()),
					cell(line.body()), Boolean.toString(line.bodyErased()), cell(line.storedPayload()), line.leafHash(),
					Long.toString(line.proof().treeSize()), line.proof().rootHash(),
					String.join(";", line.proof().auditPath())))
				.append("\r\n");
		}
		return out.toString();
	}

	/** RFC 4180: every text cell quoted, quotes doubled. */
	private static String cell(@Nullable String value) {
		return (value == null) ? "" : "\"" + value.replace("\"", "\"\"") + "\"";
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	/**
	 * An entry as search shows it: who, what, to whom, from which device, when.
	 *
	 * @param logIndex its position in the log
	 * @param eventId the event's id
	 * @param eventType the event's type
	 * @param occurredAt when it happened
	 * @param recordedAt when the log recorded it
	 * @param conversationId the conversation (to whom), if any
	 * @param actor who: the agent, {@code customer}, the requester, or {@code system}
	 * @param contactId the customer concerned, if known
	 * @param agentId the agent, if any
	 * @param deviceId the device, if any
	 * @param body the message body, {@code "erased"} after an erasure, or null
	 * @param bodyErased whether the body was erased
	 * @param event the event as stored (bodies encrypted)
	 */
	record EntryView(long logIndex, String eventId, String eventType, Instant occurredAt, Instant recordedAt,
			@Nullable String conversationId, String actor, @Nullable String contactId, @Nullable String agentId,
			@Nullable String deviceId, @Nullable String body, boolean bodyErased, JsonNode event) {

	}

	/**
	 * One exported entry. The leaf hash is SHA-256 of 0x00 and the UTF-8 lines tenantId,
	 * logIndex, eventId, eventType, conversationId (empty if none), occurredAt and
	 * recordedAt as epoch microseconds, storedPayload.
	 *
	 * @param tenantId the tenant
	 * @param logIndex its position
	 * @param eventId the event id
	 * @param eventType the type
	 * @param occurredAt when it happened
	 * @param recordedAt when it was recorded
	 * @param conversationId the conversation
	 * @param actor who
	 * @param contactId the customer concerned
	 * @param agentId the agent
	 * @param deviceId the device
	 * @param body the body, or {@code "erased"}
	 * @param bodyErased whether the body was erased
	 * @param storedPayload the stored JSON exactly as the leaf hash covers it
	 * @param leafHash the leaf hash (hex)
	 * @param proof the inclusion proof
	 */
	record ExportLine(String tenantId, long logIndex, String eventId, String eventType, Instant occurredAt,
			Instant recordedAt, @Nullable String conversationId, String actor, @Nullable String contactId,
			@Nullable String agentId, @Nullable String deviceId, @Nullable String body, boolean bodyErased,
			String storedPayload, String leafHash, Proof proof) {

	}

	/**
	 * An RFC 9162 inclusion proof.
	 *
	 * @param treeSize the signed tree's size
	 * @param rootHash its root (hex)
	 * @param auditPath sibling hashes from the leaf up (hex)
	 */
	record Proof(long treeSize, String rootHash, List<String> auditPath) {

	}

}
