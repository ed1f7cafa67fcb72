package dev.switchboard.console.audit;

import java.util.List;
import java.util.Optional;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;
import dev.switchboard.console.api.ApiProblem;

/**
 * The audit log's state for owners and admins: whether it verifies (every entry hashed
 * into signed tree heads, the witness's checkpoint consistent), and its latest signed
 * tree head, which can be signed now.
 */
@Controller
class AuditController {

	private final ApiClient api;

	AuditController(ApiClient api) {
		this.api = api;
	}

	@GetMapping("/console/audit")
	Mono<String> page(Model model) {
		Mono<Verification> verification = this.api.get((uri) -> uri.path("/api/v1/audit/verify").build(),
				new ParameterizedTypeReference<Verification>() {
				});
		// No tree head yet (an empty or not yet signed log) is a state, not a refusal.
		Mono<Optional<TreeHead>> head = this.api.get((uri) -> uri.path("/api/v1/audit/tree-heads/latest").build(),
				new ParameterizedTypeReference<TreeHead>() {
				})
			.map(Optional::of)
			.onErrorResume(ApiProblem.class, (ex) -> (ex.status() == HttpStatus.NOT_FOUND.value())
					? Mono.just(Optional.empty()) : Mono.error(ex));
		return Mono.zip(verification, head).map((both) -> {
			model.addAttribute("verification", both.getT1());
			model.addAttribute("head", both.getT2().orElse(null));
			return "audit/audit";
		});
	}

	@PostMapping("/console/audit/tree-heads")
	Mono<String> signNow() {
		return this.api.call(HttpMethod.POST, (uri) -> uri.path("/api/v1/audit/tree-heads").build(), null,
				new ParameterizedTypeReference<TreeHead>() {
				})
			.thenReturn("redirect:/console/audit");
	}

	/**
	 * The outcome of a verification.
	 *
	 * @param valid whether every check passed
	 * @param entries entries in the log
	 * @param signedTreeSize the largest size a tree head covers
	 * @param witnessedTreeSize the witness's latest checkpoint's size
	 * @param problems what failed
	 */
	record Verification(boolean valid, long entries, long signedTreeSize, long witnessedTreeSize,
			List<String> problems) {

	}

	/**
	 * A signed tree head.
	 *
	 * @param treeSize entries covered
	 * @param rootHash the Merkle root (hex)
	 * @param signedAt when
	 * @param keyId the signing key
	 */
	record TreeHead(long treeSize, String rootHash, String signedAt, String keyId) {

	}

}
