package dev.switchboard.audit.log;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/**
 * The tenant's audit log for owners and admins: verification, signed tree heads and the
 * proofs an outside party can check with the public key alone.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

	private final AuditLog log;

	private final TreeHeads treeHeads;

	private final AuditVerifier verifier;

	private final TreeHeadSigner signer;

	AuditController(AuditLog log, TreeHeads treeHeads, AuditVerifier verifier, TreeHeadSigner signer) {
		this.log = log;
		this.treeHeads = treeHeads;
		this.verifier = verifier;
		this.signer = signer;
	}

	@Operation(operationId = "verifyAuditLog", summary = "Verify the tenant's audit log")
	@GetMapping("/verify")
	Mono<LogCheck.Verification> verify(Caller caller) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.verifier.verify(caller.tenantId());
	}

	@Operation(operationId = "getLatestTreeHead", summary = "Get the latest signed tree head of the audit log")
	@GetMapping("/tree-heads/latest")
	Mono<TreeHeadView> latest(Caller caller) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.log.latestTreeHead(caller.tenantId())
			.map(this::view)
			.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No tree head yet: the log is empty or not signed yet")));
	}

	/** Signs the tree now instead of at the next interval. */
	@Operation(operationId = "signTreeHead", summary = "Sign the audit log's tree head now")
	@PostMapping("/tree-heads")
	Mono<TreeHeadView> signNow(Caller caller) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.treeHeads.signNow(caller.tenantId())
			.map(this::view)
			.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "The log is empty")));
	}

	@Operation(operationId = "getInclusionProof", summary = "Get the proof that an entry is in the audit log")
	@GetMapping("/entries/{logIndex}/inclusion-proof")
	Mono<InclusionProof> inclusion(Caller caller, @PathVariable long logIndex, @RequestParam long treeSize) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.log.treeHead(caller.tenantId(), treeSize)
			.switchIfEmpty(Mono
				.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No signed tree head of size " + treeSize)))
			.flatMap((head) -> this.log.storedLeafHashes(caller.tenantId(), treeSize).map((leaves) -> {
				if (logIndex < 0 || logIndex >= treeSize || leaves.size() != treeSize) {
					throw new ResponseStatusException(HttpStatus.NOT_FOUND,
							"No entry " + logIndex + " in the tree of size " + treeSize);
				}
				return new InclusionProof(logIndex, treeSize, hex(leaves.get((int) logIndex)),
						MerkleTree.inclusionPath(leaves, (int) logIndex, (int) treeSize)
							.stream()
							.map(AuditController::hex)
							.toList(),
						hex(head.rootHash()));
			}));
	}

	@Operation(operationId = "getConsistencyProof", summary = "Get the proof that one tree size extends another")
	@GetMapping("/consistency-proof")
	Mono<ConsistencyProof> consistency(Caller caller, @RequestParam long from, @RequestParam long to) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		if (from <= 0 || from > to) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Need 0 < from <= to");
		}
		return this.log.storedLeafHashes(caller.tenantId(), to).map((leaves) -> {
			if (leaves.size() != to) {
				throw new ResponseStatusException(HttpStatus.NOT_FOUND, "The log has fewer than " + to + " entries");
			}
			return new ConsistencyProof(from, to,
					MerkleTree.consistencyProof(leaves, (int) from, (int) to)
						.stream()
						.map(AuditController::hex)
						.toList());
		});
	}

	private TreeHeadView view(TreeHead head) {
		return new TreeHeadView(head.treeSize(), hex(head.rootHash()), head.signedAt().toString(), head.keyId(),
				Base64.getEncoder().encodeToString(head.signature()), this.signer.publicKeyBase64());
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	/**
	 * A signed tree head as published.
	 *
	 * @param treeSize entries covered
	 * @param rootHash Merkle root (hex)
	 * @param signedAt when (RFC 3339, microseconds)
	 * @param keyId the signing key
	 * @param signature Ed25519 over
	 * {@code tenant \n size \n root \n signed-at epoch micros} (base64)
	 * @param publicKey the current audit public key (X.509, base64)
	 */
	record TreeHeadView(long treeSize, String rootHash, String signedAt, String keyId, String signature,
			String publicKey) {

	}

	/**
	 * RFC 9162 inclusion proof.
	 *
	 * @param logIndex the entry
	 * @param treeSize the tree
	 * @param leafHash the entry's leaf hash (hex)
	 * @param auditPath sibling hashes from the leaf up (hex)
	 * @param rootHash the signed root (hex)
	 */
	record InclusionProof(long logIndex, long treeSize, String leafHash, List<String> auditPath, String rootHash) {

	}

	/**
	 * RFC 9162 consistency proof.
	 *
	 * @param from the older tree size
	 * @param to the newer tree size
	 * @param proof the hashes (hex)
	 */
	record ConsistencyProof(long from, long to, List<String> proof) {

	}

}
