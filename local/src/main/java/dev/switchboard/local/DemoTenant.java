package dev.switchboard.local;

/**
 * The tenant the local start creates, with the credentials a signed webhook needs.
 *
 * @param id the tenant id
 * @param phoneNumberId the WhatsApp business phone number id
 * @param appSecret the Meta app secret that signs webhooks
 * @param verifyToken the webhook verification token
 * @param wabaId the WhatsApp Business Account id that template and account webhooks name
 */
public record DemoTenant(String id, String phoneNumberId, String appSecret, String verifyToken, String wabaId) {

	public static final DemoTenant DEFAULT = new DemoTenant("demo", "106540352242922", "demo-app-secret",
			"demo-verify-token", "102290129340398");

}
