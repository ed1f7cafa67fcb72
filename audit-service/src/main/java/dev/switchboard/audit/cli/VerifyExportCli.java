package dev.switchboard.audit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.audit.log.AuditEntry;
import dev.switchboard.audit.log.Proofs;
import dev.switchboard.audit.witness.Checkpoint;
import dev.switchboard.audit.witness.SignedNote;

/**
 * Verifies an export ({@code GET /api/v1/audit/export?format=jsonl}) against a checkpoint
 * from the witness, with nothing but the two files and the audit public key: the
 * checkpoint's signature; each line's leaf hash recomputed from its fields and its
 * inclusion proof in the export's tree; and that the export's tree and the checkpoint's
 * are one log: the same tree, or (a whole-log export) the checkpoint's root recomputed
 * from the export's first entries, or an RFC 9162 consistency proof between the two
 * ({@code GET /api/v1/audit/consistency-proof}, saved as JSON).
 *
 * <pre>
 * java -cp audit-service.jar -Dloader.main=dev.switchboard.audit.cli.VerifyExportCli \
 *     org.springframework.boot.loader.launch.PropertiesLauncher \
 *     --export audit-export.jsonl --checkpoint 1234 --public-key MCowBQYDK2VwAyEA... \
 *     [--consistency-proof proof.json]
 * </pre>
 *
 * Exit status: 0 verified, 1 verification failed, 2 usage or unreadable files.
 */
public final class VerifyExportCli {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private VerifyExportCli() {
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
		String note;
		List<String> lines;
		@Nullable JsonNode consistency;
		try {
			options = Options.parse(args);
			note = Files.readString(options.checkpoint(), StandardCharsets.UTF_8);
			lines = Files.readAllLines(options.export(), StandardCharsets.UTF_8)
				.stream()
				.filter((line) -> !line.isBlank())
				.toList();
			consistency = (options.consistencyProof() != null)
					? JSON.readTree(Files.readString(options.consistencyProof(), StandardCharsets.UTF_8)) : null;
		}
		catch (IllegalArgumentException | IOException | JacksonException ex) {
			err.println(ex.getMessage());
			err.println("usage: VerifyExportCli --export FILE.jsonl --checkpoint FILE --public-key BASE64"
					+ " [--public-key ...] [--consistency-proof FILE.json]");
			return 2;
		}
		List<String> problems = new ArrayList<>();
		Checkpoint checkpoint = checkpoint(note, options.publicKeys(), problems);
		Tree tree = (checkpoint != null) ? entries(lines, checkpoint, problems) : null;
		if (checkpoint != null && tree != null) {
			relate(tree, checkpoint, consistency, problems);
		}
		if (checkpoint != null) {
			out.println("Checkpoint: " + checkpoint.origin() + " at size " + checkpoint.treeSize());
		}
		if (tree != null) {
			out.println("Export: " + lines.size() + " entries proved in the tree of size " + tree.size());
		}
		problems.forEach((problem) -> out.println("  - " + problem));
		out.println(problems.isEmpty() ? "VALID: the export is consistent with the witnessed checkpoint."
				: "TAMPERED: the export does not verify against the checkpoint.");
		return problems.isEmpty() ? 0 : 1;
	}

	private static @Nullable Checkpoint checkpoint(String note, List<PublicKey> keys, List<String> problems) {
		try {
			SignedNote.Opened opened = SignedNote.parse(note);
			Checkpoint checkpoint = Checkpoint.parse(opened.text());
			if (keys.stream().noneMatch((key) -> opened.verifies(checkpoint.origin(), key))) {
				problems.add(
						"the checkpoint is not signed by the given public key under its origin " + checkpoint.origin());
			}
			return checkpoint;
		}
		catch (IllegalArgumentException ex) {
			problems.add("the checkpoint is not a signed C2SP checkpoint: " + ex.getMessage());
			return null;
		}
	}

	/**
	 * Checks every line on its own and returns the tree they are proved in.
	 */
	private static @Nullable Tree entries(List<String> lines, Checkpoint checkpoint, List<String> problems) {
		Long size = null;
		byte[] root = null;
		Map<Long, byte[]> leaves = new HashMap<>();
		for (String text : lines) {
			JsonNode line;
			try {
				line = JSON.readTree(text);
			}
			catch (JacksonException ex) {
				problems.add("a line is not JSON: " + ex.getOriginalMessage());
				continue;
			}
			long index = line.path("logIndex").asLong(-1);
			String tenant = line.path("tenantId").asString("");
			if (!checkpoint.origin().endsWith(Checkpoint.originOf("", tenant))) {
				problems
					.add("entry " + index + " is of tenant " + tenant + ", the checkpoint of " + checkpoint.origin());
			}
			byte[] leaf;
			try {
				String conversation = line.path("conversationId").asString("");
				leaf = new AuditEntry(tenant, index, line.path("eventId").asString(""),
						line.path("eventType").asString(""), conversation.isEmpty() ? null : conversation,
						Instant.parse(line.path("occurredAt").asString("")),
						Instant.parse(line.path("recordedAt").asString("")), line.path("storedPayload").asString(""))
					.leafHash();
			}
			catch (RuntimeException ex) {
				problems.add("entry " + index + " cannot be read: " + ex.getMessage());
				continue;
			}
			if (!HexFormat.of().formatHex(leaf).equals(line.path("leafHash").asString(""))) {
				problems.add("entry " + index + " does not hash to its leaf hash: its fields were changed");
			}
			JsonNode proof = line.path("proof");
			long lineSize = proof.path("treeSize").asLong(-1);
			byte[] lineRoot = hex(proof.path("rootHash").asString(""));
			if (size == null) {
				size = lineSize;
				root = lineRoot;
			}
			else if (size != lineSize || !Arrays.equals(root, lineRoot)) {
				problems.add("entry " + index + " is proved in another tree than the export's first entry");
				continue;
			}
			List<byte[]> path = new ArrayList<>();
			proof.path("auditPath").forEach((node) -> path.add(hex(node.asString(""))));
			if (!Proofs.verifyInclusion(index, lineSize, leaf, path, lineRoot)) {
				problems.add("entry " + index + " is not in the tree of size " + lineSize + " (its proof fails)");
			}
			leaves.put(index, leaf);
		}
		return (size != null && root != null) ? new Tree(size, root, leaves) : null;
	}

	private static void relate(Tree tree, Checkpoint checkpoint, @Nullable JsonNode consistency,
			List<String> problems) {
		long n = checkpoint.treeSize();
		if (tree.size() == n) {
			if (!Arrays.equals(tree.root(), checkpoint.rootHash())) {
				problems.add("the export's tree of size " + n + " has another root than the checkpoint of that size");
			}
			return;
		}
		if (consistency != null) {
			long from = consistency.path("from").asLong(-1);
			long to = consistency.path("to").asLong(-1);
			boolean older = n < tree.size();
			if (from != Math.min(n, tree.size()) || to != Math.max(n, tree.size())) {
				problems.add("the consistency proof is from " + from + " to " + to + ", not between the sizes " + n
						+ " and " + tree.size());
				return;
			}
			List<byte[]> proof = new ArrayList<>();
			consistency.path("proof").forEach((node) -> proof.add(hex(node.asString(""))));
			boolean holds = older ? Proofs.verifyConsistency(n, tree.size(), checkpoint.rootHash(), tree.root(), proof)
					: Proofs.verifyConsistency(tree.size(), n, tree.root(), checkpoint.rootHash(), proof);
			if (!holds) {
				problems.add("the consistency proof between the checkpoint (size " + n + ") and the export (size "
						+ tree.size() + ") fails");
			}
			return;
		}
		if (tree.leaves().size() == tree.size() && n < tree.size()) {
			List<byte[]> prefix = new ArrayList<>();
			for (long index = 0; index < n; index++) {
				prefix.add(tree.leaves().get(index));
			}
			if (!Arrays.equals(Proofs.root(prefix), checkpoint.rootHash())) {
				problems.add("the export's first " + n + " entries do not produce the checkpoint's root");
			}
			return;
		}
		if (n > tree.size() && tree.leaves().size() == tree.size()) {
			problems.add("the export's log has " + tree.size() + " entries, fewer than the checkpoint's " + n
					+ " (pass --consistency-proof if the export is older than the checkpoint)");
			return;
		}
		problems.add("the export (tree size " + tree.size() + ") and the checkpoint (size " + n
				+ ") cannot be related: pass --consistency-proof from " + Math.min(n, tree.size()) + " to "
				+ Math.max(n, tree.size()) + ", or export the whole log");
	}

	private static byte[] hex(String value) {
		try {
			return HexFormat.of().parseHex(value);
		}
		catch (IllegalArgumentException ex) {
			return new byte[0];
		}
	}

	/**
	 * The export's tree.
	 *
	 * @param size its size
	 * @param root its root
	 * @param leaves the exported entries' leaf hashes by index
	 */
	private record Tree(long size, byte[] root, Map<Long, byte[]> leaves) {

	}

	/**
	 * The command line.
	 *
	 * @param export the JSON Lines export
	 * @param checkpoint the checkpoint file (a signed note)
	 * @param publicKeys the trusted audit public keys
	 * @param consistencyProof a consistency proof between the two trees, if given
	 */
	record Options(Path export, Path checkpoint, List<PublicKey> publicKeys, @Nullable Path consistencyProof) {

		static Options parse(String[] args) {
			Map<String, String> single = new HashMap<>();
			List<PublicKey> keys = new ArrayList<>();
			for (int i = 0; i < args.length; i++) {
				String name = args[i];
				if (i + 1 >= args.length || !name.startsWith("--")) {
					throw new IllegalArgumentException("Unexpected argument " + name);
				}
				String value = args[++i];
				switch (name) {
					case "--public-key" -> keys.add(publicKey(value));
					case "--export", "--checkpoint", "--consistency-proof" -> single.put(name, value);
					default -> throw new IllegalArgumentException("Unknown option " + name);
				}
			}
			if (!single.containsKey("--export") || !single.containsKey("--checkpoint") || keys.isEmpty()) {
				throw new IllegalArgumentException("--export, --checkpoint and --public-key are required");
			}
			String proof = single.get("--consistency-proof");
			return new Options(Path.of(single.get("--export")), Path.of(single.get("--checkpoint")), keys,
					(proof != null) ? Path.of(proof) : null);
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

	}

}
