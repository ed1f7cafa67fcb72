package dev.switchboard.audit.log;

import java.time.Instant;

/**
 * A signed tree head: the root of a tenant's tree at a size.
 *
 * @param tenantId the tenant
 * @param treeSize how many entries it covers
 * @param rootHash the Merkle root
 * @param signedAt when it was signed
 * @param keyId which key signed it
 * @param signature the Ed25519 signature
 */
public record TreeHead(String tenantId, long treeSize, byte[] rootHash, Instant signedAt, String keyId,
		byte[] signature) {

}
