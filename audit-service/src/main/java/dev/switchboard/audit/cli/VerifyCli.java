package dev.switchboard.audit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.switchboard.audit.log.AuditEntry;
import dev.switchboard.audit.log.LogCheck;
import dev.switchboard.audit.log.TreeHead;
import dev.switchboard.audit.log.TreeHeadSigner;
import dev.switchboard.audit.witness.Checkpoint;
import dev.switchboard.audit.witness.SignedNote;

/**
 * Verifies the audit log straight from PostgreSQL, without the service: recomputes every
 * tenant's Merkle tree from the entries' content and checks it against every signed tree
 * head, and each head's Ed25519 signature with the given public keys. With
 * {@code --checkpoint} (a file of the witness) the tenant's log must also be consistent
 * with that checkpoint, which catches the log's tail deleted with its tree heads.
 *
 * <pre>
 * java -cp audit-service.jar -Dloader.main=dev.switchboard.audit.cli.VerifyCli \
 *     org.springframework.boot.loader.launch.PropertiesLauncher \
 *     --jdbc-url jdbc:postgresql://localhost:5432/switchboard --user switchboard --password ... \
 *     [--schema audit] [--tenant demo] --public-key MCowBQYDK2VwAyEA...
 * </pre>
 *
 * Exit status: 0 every log verifies, 1 tampering found, 2 usage or connection error.
 */
public final class VerifyCli {

	private VerifyCli() {
	}

	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	/**
	 * Runs a verification.
	 * @param args the command line
	 * @param out where the report goes
	 * @param err where usage errors go
	 * @return the exit status
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			err.println(ex.getMessage());
			err.println("usage: VerifyCli --jdbc-url URL [--user U] [--password P] [--schema audit] [--tenant T"
					+ " [--checkpoint FILE]] --public-key BASE64 [--public-key ...] | --no-signatures");
			return 2;
		}
		LogCheck.Witnessed witnessed = null;
		if (options.checkpoint() != null) {
			try {
				witnessed = witnessed(Files.readString(options.checkpoint(), StandardCharsets.UTF_8),
						Objects.requireNonNull(options.tenant()), options.publicKeys().values());
			}
			catch (IOException ex) {
				err.println("Cannot read the checkpoint: " + ex.getMessage());
				return 2;
			}
		}
		try (Connection connection = DriverManager.getConnection(options.jdbcUrl(), options.user(),
				options.password())) {
			connection.setReadOnly(true);
			boolean valid = true;
			for (String tenant : tenants(connection, options)) {
				LogCheck.Verification result = LogCheck.check(tenant, entries(connection, options.schema(), tenant),
						heads(connection, options.schema(), tenant), options.signatures(), witnessed);
				valid &= result.valid();
				out.println((result.valid() ? "VALID    " : "TAMPERED ") + tenant + ": " + result.entries()
						+ " entries, " + result.signedTreeSize() + " covered by signed tree heads"
						+ ((witnessed != null) ? ", witnessed checkpoint of size " + result.witnessedTreeSize() : ""));
				result.problems().forEach((problem) -> out.println("  - " + problem));
			}
			if (options.publicKeys().isEmpty()) {
				out.println("Tree head signatures were NOT checked (--no-signatures)");
			}
			out.println(valid ? "The audit log verifies." : "The audit log was tampered with.");
			return valid ? 0 : 1;
		}
		catch (SQLException ex) {
			err.println("Cannot read the audit log: " + ex.getMessage());
			return 2;
		}
	}

	/**
	 * A checkpoint from the witness, checked against the tenant and the trusted keys.
	 */
	private static LogCheck.Witnessed witnessed(String note, String tenant, Collection<PublicKey> keys) {
		try {
			SignedNote.Opened opened = SignedNote.parse(note);
			Checkpoint checkpoint = Checkpoint.parse(opened.text());
			List<String> problems = new ArrayList<>();
			if (!checkpoint.origin().endsWith(Checkpoint.originOf("", tenant))) {
				problems.add("the checkpoint is of the log " + checkpoint.origin() + ", not of tenant " + tenant);
			}
			if (!keys.isEmpty() && keys.stream().noneMatch((key) -> opened.verifies(checkpoint.origin(), key))) {
				problems.add("the checkpoint of size " + checkpoint.treeSize() + " is not signed by a trusted key");
			}
			return new LogCheck.Witnessed(checkpoint.treeSize(), checkpoint.rootHash(), problems);
		}
		catch (IllegalArgumentException ex) {
			return LogCheck.Witnessed.unusable("the checkpoint is malformed: " + ex.getMessage());
		}
	}

	private static List<String> tenants(Connection connection, Options options) throws SQLException {
		if (options.tenant() != null) {
			return List.of(options.tenant());
		}
		List<String> tenants = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT tenant_id FROM "
				+ options.schema() + ".audit_entry UNION SELECT DISTINCT tenant_id FROM " + options.schema()
				+ ".audit_tree_head ORDER BY 1"); ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				tenants.add(rows.getString(1));
			}
		}
		return tenants;
	}

	private static List<AuditEntry> entries(Connection connection, String schema, String tenant) throws SQLException {
		List<AuditEntry> entries = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("""
				SELECT tenant_id, log_index, event_id, event_type, conversation_id, occurred_at, recorded_at,
				       payload::text AS payload
				FROM %s.audit_entry WHERE tenant_id = ? ORDER BY log_index, id""".formatted(schema))) {
			statement.setString(1, tenant);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					UUID conversation = rows.getObject("conversation_id", UUID.class);
					entries.add(new AuditEntry(rows.getString("tenant_id"), rows.getLong("log_index"),
							rows.getString("event_id"), rows.getString("event_type"),
							(conversation != null) ? conversation.toString() : null,
							rows.getObject("occurred_at", OffsetDateTime.class).toInstant(),
							rows.getObject("recorded_at", OffsetDateTime.class).toInstant(),
							rows.getString("payload")));
				}
			}
		}
		return entries;
	}

	private static List<TreeHead> heads(Connection connection, String schema, String tenant) throws SQLException {
		List<TreeHead> heads = new ArrayList<>();
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT tenant_id, tree_size, root_hash, signed_at, key_id, signature FROM " + schema
					+ ".audit_tree_head WHERE tenant_id = ? ORDER BY tree_size")) {
			statement.setString(1, tenant);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					heads.add(new TreeHead(rows.getString("tenant_id"), rows.getLong("tree_size"),
							rows.getBytes("root_hash"), rows.getObject("signed_at", OffsetDateTime.class).toInstant(),
							rows.getString("key_id"), rows.getBytes("signature")));
				}
			}
		}
		return heads;
	}

	/**
	 * The command line.
	 *
	 * @param jdbcUrl where the database is
	 * @param user who to log in as
	 * @param password the password
	 * @param schema the audit service's schema
	 * @param tenant only this tenant, or all
	 * @param publicKeys the trusted audit public keys by key id; empty with
	 * {@code --no-signatures}
	 * @param checkpoint a checkpoint of the tenant's log from the witness, if given
	 */
	record Options(String jdbcUrl, @Nullable String user, @Nullable String password, String schema,
			@Nullable String tenant, Map<String, PublicKey> publicKeys, @Nullable Path checkpoint) {

		static Options parse(String[] args) {
			Map<String, String> single = new HashMap<>();
			Map<String, PublicKey> keys = new HashMap<>();
			boolean noSignatures = false;
			for (int i = 0; i < args.length; i++) {
				String name = args[i];
				if (name.equals("--no-signatures")) {
					noSignatures = true;
					continue;
				}
				if (i + 1 >= args.length || !name.startsWith("--")) {
					throw new IllegalArgumentException("Unexpected argument " + name);
				}
				String value = args[++i];
				switch (name) {
					case "--public-key" -> {
						PublicKey key = publicKey(value);
						keys.put(keyId(key), key);
					}
					case "--jdbc-url", "--user", "--password", "--schema", "--tenant", "--checkpoint" ->
						single.put(name, value);
					default -> throw new IllegalArgumentException("Unknown option " + name);
				}
			}
			String url = single.get("--jdbc-url");
			if (url == null) {
				throw new IllegalArgumentException("--jdbc-url is required");
			}
			if (keys.isEmpty() && !noSignatures) {
				throw new IllegalArgumentException(
						"Give the audit public key(s) with --public-key (or --no-signatures to check roots only)");
			}
			String schema = single.getOrDefault("--schema", "audit");
			if (!schema.matches("[A-Za-z_][A-Za-z0-9_]*")) {
				throw new IllegalArgumentException("--schema must be a plain identifier");
			}
			String checkpoint = single.get("--checkpoint");
			if (checkpoint != null && single.get("--tenant") == null) {
				throw new IllegalArgumentException("--checkpoint is of one tenant's log: give --tenant too");
			}
			return new Options(url, single.get("--user"), single.get("--password"), schema, single.get("--tenant"),
					keys, (checkpoint != null) ? Path.of(checkpoint) : null);
		}

		LogCheck.SignatureCheck signatures() {
			if (this.publicKeys.isEmpty()) {
				return (tenant, size, root, signedAt, keyId, signature) -> null;
			}
			return (tenant, size, root, signedAt, keyId, signatureBytes) -> {
				PublicKey key = this.publicKeys.get(keyId);
				if (key == null) {
					return "tree head at size " + size + " is signed by untrusted key " + keyId;
				}
				try {
					Signature signature = Signature.getInstance("Ed25519");
					signature.initVerify(key);
					signature.update(TreeHeadSigner.signedBytes(tenant, size, root, signedAt));
					return signature.verify(signatureBytes) ? null
							: "tree head at size " + size + " has a bad signature";
				}
				catch (GeneralSecurityException ex) {
					return "tree head at size " + size + " cannot be checked: " + ex.getMessage();
				}
			};
		}

		private static PublicKey publicKey(String base64) {
			try {
				return KeyFactory.getInstance("Ed25519")
					.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
			}
			catch (GeneralSecurityException | IllegalArgumentException ex) {
				throw new IllegalArgumentException("--public-key is not an Ed25519 public key (X.509, base64)", ex);
			}
		}

		private static String keyId(PublicKey key) {
			try {
				return TreeHeadSigner.keyId(key);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
