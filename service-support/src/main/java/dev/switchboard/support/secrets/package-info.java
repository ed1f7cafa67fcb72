/**
 * Secrets at rest: envelope encryption with Google Tink. Every secret is encrypted under
 * a data key of its own, the data key under the key-encryption key (the master key from
 * {@code SWITCHBOARD_MASTER_KEY}, or a KMS behind {@link KeyEncryptionKey}), both bound
 * to the row the secret belongs to.
 */
@NullMarked
package dev.switchboard.support.secrets;

import org.jspecify.annotations.NullMarked;
