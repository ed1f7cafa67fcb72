package dev.switchboard.support.secrets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What a secret belongs to, bound into its ciphertext as associated data: a ciphertext
 * copied to another row, tenant or purpose does not decrypt.
 *
 * @param purpose what the secret is, e.g. {@code inbox.crm-subscription.secret}
 * @param tenantId the tenant that owns the row (empty for platform secrets)
 * @param id the row's id
 */
public record SecretContext(String purpose, String tenantId, String id) {

	/**
	 * The associated data: each field length-prefixed, so no two contexts encode alike.
	 * @return the bytes that Tink authenticates with the ciphertext
	 */
	public byte[] associatedData() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeBytes("switchboard-secret-v1");
			for (String field : new String[] { this.purpose, this.tenantId, this.id }) {
				byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
				out.writeInt(utf8.length);
				out.write(utf8);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public String toString() {
		return this.purpose + " of " + (this.tenantId.isEmpty() ? "" : this.tenantId + "/") + this.id;
	}

}
