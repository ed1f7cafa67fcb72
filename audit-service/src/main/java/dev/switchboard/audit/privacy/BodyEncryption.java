package dev.switchboard.audit.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.switchboard.audit.log.AuditEntry;
import dev.switchboard.audit.log.PersonalData;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.support.consumer.BatchWrites;

/**
 * Crypto-shredding of message bodies. A customer's message is logged with its
 * {@code text} replaced by {@code textEncrypted}: AES-256-GCM under a key of its contact,
 * with the tenant, contact and key id as associated data. Destroying the key
 * ({@link Erasure}) leaves the ciphertext, and so the Merkle tree, intact, while nobody
 * can read the body again. The contact keys themselves are stored sealed under the master
 * key ({@link ContactKeySecrets}).
 */
@Component
class BodyEncryption implements PersonalData {

	static final String FIELD = "textEncrypted";

	private static final String ALGORITHM = "AES-256-GCM";

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecureRandom random = new SecureRandom();

	private final DatabaseClient database;

	private final JsonMapper json;

	private final Clock clock;

	private final ContactKeySecrets keys;

	BodyEncryption(DatabaseClient database, JsonMapper json, Clock clock, ContactKeySecrets keys) {
		this.database = database;
		this.json = json;
		this.clock = clock;
		this.keys = keys;
	}

	@Override
	public Mono<Void> prepare(List<SwitchboardEvent> events) {
		Set<Contact> contacts = new LinkedHashSet<>();
		for (SwitchboardEvent event : events) {
			if (event instanceof MessageReceived received && received.text() != null) {
				contacts.add(new Contact(received.tenantId(), received.contactId()));
			}
		}
		if (contacts.isEmpty()) {
			return Mono.empty();
		}
		return liveKeys(List.copyOf(contacts))
			.concatMap((found) -> BatchWrites.cached(cacheKey(found.getKey().tenantId(), found.getKey().contactId()),
					() -> Mono.just(found.getValue())))
			.then();
	}

	/**
	 * The live keys of these contacts, created for those without one, with one statement
	 * (the CTE's insert is not visible to the outer query's snapshot, so a contact gets
	 * at most one row). A contact whose key another transaction created after the
	 * statement began gets none: read it again. Every candidate key is sealed for its new
	 * row; a key that comes back as created needs no opening.
	 */
	private Flux<Map.Entry<Contact, ContactKey>> liveKeys(List<Contact> wanted) {
		List<ContactKey> candidates = new ArrayList<>(wanted.size());
		for (int i = 0; i < wanted.size(); i++) {
			byte[] key = new byte[32];
			this.random.nextBytes(key);
			candidates.add(new ContactKey(UUID.randomUUID(), key));
		}
		Map<UUID, byte[]> created = new HashMap<>();
		candidates.forEach((candidate) -> created.put(candidate.id(), candidate.key()));
		return this.database.sql("""
				WITH wanted AS (
				    SELECT t, c, CAST(i AS uuid) AS i, decode(k, 'base64') AS k
				    FROM unnest(CAST(:tenants AS text[]), CAST(:contacts AS text[]), CAST(:ids AS text[]),
				                CAST(:keys AS text[])) AS w(t, c, i, k)),
				live AS (
				    SELECT k.tenant_id, k.contact_id, k.key_id, k.key_sealed FROM contact_key k
				    JOIN wanted w ON k.tenant_id = w.t AND k.contact_id = w.c WHERE k.erased_at IS NULL),
				created AS (
				    INSERT INTO contact_key (key_id, tenant_id, contact_id, key_sealed, created_at)
				    SELECT w.i, w.t, w.c, w.k, :at FROM wanted w
				    WHERE NOT EXISTS (SELECT 1 FROM live l WHERE l.tenant_id = w.t AND l.contact_id = w.c)
				    ON CONFLICT DO NOTHING
				    RETURNING tenant_id, contact_id, key_id, key_sealed)
				SELECT tenant_id, contact_id, key_id, key_sealed FROM live
				UNION ALL
				SELECT tenant_id, contact_id, key_id, key_sealed FROM created""")
			.bind("tenants", wanted.stream().map(Contact::tenantId).toArray(String[]::new))
			.bind("contacts", wanted.stream().map(Contact::contactId).toArray(String[]::new))
			.bind("ids", candidates.stream().map((candidate) -> candidate.id().toString()).toArray(String[]::new))
			.bind("keys",
					IntStream.range(0, wanted.size())
						.mapToObj((i) -> Base64.getEncoder()
							.encodeToString(this.keys.seal(wanted.get(i).tenantId(), candidates.get(i).id(),
									candidates.get(i).key())))
						.toArray(String[]::new))
			.bind("at", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.map((row) -> Map.entry(
					new Contact(row.get("tenant_id", String.class), row.get("contact_id", String.class)),
					contactKey(row, row.get("tenant_id", String.class), created)))
			.all();
	}

	@Override
	public Mono<byte[]> protect(String eventId, SwitchboardEvent event, byte[] payload) {
		if (!(event instanceof MessageReceived received) || received.text() == null) {
			return Mono.just(payload);
		}
		return liveKey(received.tenantId(), received.contactId()).map((key) -> {
			ObjectNode node = (ObjectNode) this.json.readTree(payload);
			node.remove("text");
			ObjectNode encrypted = node.putObject(FIELD);
			encrypted.put("alg", ALGORITHM);
			encrypted.put("keyId", key.id().toString());
			byte[] iv = new byte[IV_BYTES];
			this.random.nextBytes(iv);
			encrypted.put("iv", Base64.getEncoder().encodeToString(iv));
			encrypted.put("ciphertext",
					Base64.getEncoder()
						.encodeToString(crypt(Cipher.ENCRYPT_MODE, key.key(), iv,
								aad(received.tenantId(), received.contactId(), key.id()),
								received.text().getBytes(StandardCharsets.UTF_8))));
			return this.json.writeValueAsBytes(node);
		});
	}

	@Override
	public Mono<BodyReader> reader(String tenantId) {
		return this.database
			.sql("SELECT key_id, key_sealed FROM contact_key WHERE tenant_id = :tenant AND key_sealed IS NOT NULL")
			.bind("tenant", tenantId)
			.map((row) -> Map.entry(row.get("key_id", UUID.class), row.get("key_sealed", byte[].class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new)
			.map((sealed) -> {
				// Opened when a body needs it, once: a search page needs few of the
				// tenant's keys.
				Map<UUID, byte[]> opened = new HashMap<>();
				return (entry) -> body((keyId) -> {
					byte[] key = sealed.get(keyId);
					return (key != null) ? opened.computeIfAbsent(keyId, (id) -> this.keys.open(tenantId, id, key))
							: null;
				}, entry);
			});
	}

	private Body body(Function<UUID, byte @Nullable []> keys, AuditEntry entry) {
		JsonNode payload = this.json.readTree(entry.payload());
		JsonNode encrypted = payload.get(FIELD);
		if (encrypted == null || !encrypted.isObject()) {
			JsonNode text = payload.get("text");
			return (text != null && text.isString()) ? new Body(text.asString(), false) : Body.NONE;
		}
		UUID keyId = UUID.fromString(encrypted.path("keyId").asString());
		byte[] key = keys.apply(keyId);
		if (key == null) {
			return Body.ERASED;
		}
		byte[] plain = crypt(Cipher.DECRYPT_MODE, key, Base64.getDecoder().decode(encrypted.path("iv").asString()),
				aad(entry.tenantId(), payload.path("contactId").asString(), keyId),
				Base64.getDecoder().decode(encrypted.path("ciphertext").asString()));
		return new Body(new String(plain, StandardCharsets.UTF_8), false);
	}

	/**
	 * The contact's key, created at its first body (or first body after an erasure): in a
	 * batch of events as {@link #prepare} found or created it, else read or created once
	 * per batch.
	 */
	private Mono<ContactKey> liveKey(String tenantId, String contactId) {
		return BatchWrites.cached(cacheKey(tenantId, contactId), () -> createOrReadKey(tenantId, contactId));
	}

	private static String cacheKey(String tenantId, String contactId) {
		return "audit.contact-key:" + tenantId + ":" + contactId;
	}

	private Mono<ContactKey> createOrReadKey(String tenantId, String contactId) {
		return liveKeys(List.of(new Contact(tenantId, contactId))).next()
			.map(Map.Entry::getValue)
			.switchIfEmpty(Mono.defer(() -> this.database.sql("""
					SELECT key_id, key_sealed FROM contact_key
					WHERE tenant_id = :tenant AND contact_id = :contact AND erased_at IS NULL""")
				.bind("tenant", tenantId)
				.bind("contact", contactId)
				.map((row) -> contactKey(row, tenantId, Map.of()))
				.one()));
	}

	private ContactKey contactKey(Readable row, String tenantId, Map<UUID, byte[]> created) {
		UUID id = row.get("key_id", UUID.class);
		byte[] key = created.get(id);
		return new ContactKey(id,
				(key != null) ? key : this.keys.open(tenantId, id, row.get("key_sealed", byte[].class)));
	}

	private static byte[] aad(String tenantId, String contactId, UUID keyId) {
		return (tenantId + "\n" + contactId + "\n" + keyId).getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] crypt(int mode, byte[] key, byte[] iv, byte[] aad, byte[] input) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(aad);
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("A message body could not be "
					+ ((mode == Cipher.ENCRYPT_MODE) ? "encrypted" : "decrypted: the entry or its key was changed"),
					ex);
		}
	}

	private record Contact(String tenantId, String contactId) {

	}

	/**
	 * A contact's live key.
	 *
	 * @param id the key id, named in every body it encrypts
	 * @param key the AES-256 key
	 */
	record ContactKey(UUID id, byte[] key) {

	}

}
