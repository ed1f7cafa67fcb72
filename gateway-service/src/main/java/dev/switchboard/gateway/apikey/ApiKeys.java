package dev.switchboard.gateway.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import dev.switchboard.events.Role;
import dev.switchboard.gateway.security.Identity;
import dev.switchboard.support.web.TimeCursor;

/**
 * API keys for integrations: {@code sbk_<id>_<secret>}. The secret is shown once; only
 * its SHA-256 is stored, compared in constant time.
 */
@Service
public class ApiKeys {

	private static final String PREFIX = "sbk_";

	private final DatabaseClient database;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	ApiKeys(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	Mono<CreatedApiKey> create(Identity creator, String name, Set<Role> roles) {
		UUID id = UUID.randomUUID();
		byte[] secret = new byte[32];
		this.random.nextBytes(secret);
		String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		Instant now = this.clock.instant();
		return this.database.sql("""
				INSERT INTO api_key (id, tenant_id, name, roles, secret_hash, created_by, created_at)
				VALUES (:id, :tenant, :name, :roles, :hash, :by, :at)""")
			.bind("id", id)
			.bind("tenant", creator.tenantId())
			.bind("name", name)
			.bind("roles", roles.stream().map(Role::name).sorted().toArray(String[]::new))
			.bind("hash", sha256(secretText))
			.bind("by", creator.subject())
			.bind("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.then()
			.thenReturn(new CreatedApiKey(id.toString(), PREFIX + id + "_" + secretText, name,
					List.copyOf(roles.stream().sorted().toList()), now));
	}

	/**
	 * A page of the tenant's keys, newest first.
	 * @param tenantId the tenant
	 * @param limit the page size
	 * @param after the cursor of the previous page, if any
	 * @return the page
	 */
	Mono<KeyPage> list(String tenantId, int limit, @Nullable String after) {
		TimeCursor cursor = TimeCursor.decode(after);
		String keyset = (cursor != null) ? " AND (created_at, id) < (:afterAt, :afterId)" : "";
		DatabaseClient.GenericExecuteSpec spec = this.database
			.sql("SELECT id, name, roles, created_by, created_at, revoked_at FROM api_key WHERE tenant_id = :tenant"
					+ keyset + " ORDER BY created_at DESC, id DESC LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit + 1);
		if (cursor != null) {
			spec = spec.bind("afterAt", OffsetDateTime.ofInstant(cursor.at(), ZoneOffset.UTC))
				.bind("afterId", cursor.id());
		}
		return spec.map(ApiKeys::view).all().collectList().map((rows) -> {
			if (rows.size() <= limit) {
				return new KeyPage(rows, null);
			}
			List<ApiKeyView> items = List.copyOf(rows.subList(0, limit));
			ApiKeyView last = items.getLast();
			return new KeyPage(items, new TimeCursor(last.createdAt(), UUID.fromString(last.id())).encode());
		});
	}

	/**
	 * Revokes a key of the tenant.
	 * @param revoker who revokes it
	 * @param id the key id
	 * @return whether the tenant had such a key
	 */
	Mono<Boolean> revoke(Identity revoker, UUID id) {
		return this.database.sql("""
				UPDATE api_key SET revoked_at = COALESCE(revoked_at, :at), revoked_by = COALESCE(revoked_by, :by)
				WHERE id = :id AND tenant_id = :tenant""")
			.bind("at", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.bind("by", revoker.subject())
			.bind("id", id)
			.bind("tenant", revoker.tenantId())
			.fetch()
			.rowsUpdated()
			.map((updated) -> updated > 0);
	}

	/**
	 * Authenticates a presented key.
	 * @param presented the {@code X-Api-Key} value
	 * @return the identity, or empty if the key is unknown, wrong or revoked
	 */
	public Mono<Identity> authenticate(String presented) {
		if (!presented.startsWith(PREFIX) || presented.length() < PREFIX.length() + 38) {
			return Mono.empty();
		}
		String rest = presented.substring(PREFIX.length());
		int separator = rest.indexOf('_');
		UUID id;
		try {
			id = UUID.fromString(rest.substring(0, separator));
		}
		catch (IllegalArgumentException | StringIndexOutOfBoundsException ex) {
			return Mono.empty();
		}
		byte[] hash = sha256(rest.substring(separator + 1));
		return this.database
			.sql("SELECT tenant_id, roles, secret_hash FROM api_key WHERE id = :id AND revoked_at IS NULL")
			.bind("id", id)
			.map((row) -> MessageDigest.isEqual(hash, row.get("secret_hash", byte[].class))
					? new Identity(row.get("tenant_id", String.class), "api-key:" + id, roles(row), id.toString())
					: null)
			.one();
	}

	private static ApiKeyView view(Readable row) {
		OffsetDateTime revokedAt = row.get("revoked_at", OffsetDateTime.class);
		OffsetDateTime createdAt = row.get("created_at", OffsetDateTime.class);
		return new ApiKeyView(String.valueOf(row.get("id", UUID.class)), row.get("name", String.class),
				roles(row).stream().sorted().toList(), row.get("created_by", String.class),
				(createdAt != null) ? createdAt.toInstant() : Instant.EPOCH,
				(revokedAt != null) ? revokedAt.toInstant() : null);
	}

	private static Set<Role> roles(Readable row) {
		String[] names = row.get("roles", String[].class);
		Set<Role> roles = EnumSet.noneOf(Role.class);
		if (names != null) {
			Arrays.stream(names).map(Role::valueOf).forEach(roles::add);
		}
		return roles;
	}

	private static byte[] sha256(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/**
	 * A page of keys.
	 *
	 * @param items the keys
	 * @param nextCursor pass as {@code cursor} for the next page; null on the last
	 */
	public record KeyPage(List<ApiKeyView> items, @Nullable String nextCursor) {

	}

	/**
	 * A new key: the only time its secret is shown.
	 *
	 * @param id the key id
	 * @param key the full key to send as {@code X-Api-Key}
	 * @param name what it is for
	 * @param roles what it may do
	 * @param createdAt when
	 */
	public record CreatedApiKey(String id, String key, String name, List<Role> roles, Instant createdAt) {

	}

	/**
	 * A key as listed, without its secret.
	 *
	 * @param id the key id
	 * @param name what it is for
	 * @param roles what it may do
	 * @param createdBy who created it
	 * @param createdAt when
	 * @param revokedAt when it was revoked, if it was
	 */
	public record ApiKeyView(String id, String name, List<Role> roles, String createdBy, Instant createdAt,
			@Nullable Instant revokedAt) {

	}

}
