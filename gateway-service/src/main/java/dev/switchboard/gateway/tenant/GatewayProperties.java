package dev.switchboard.gateway.tenant;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The tenants the gateway knows: each connects one WhatsApp Business phone number through
 * its Meta app.
 *
 * @param tenants the tenants
 */
@ConfigurationProperties("switchboard.gateway")
public record GatewayProperties(@DefaultValue List<Tenant> tenants) {

	/**
	 * A tenant and the credentials of its Meta app.
	 *
	 * @param id the tenant id
	 * @param phoneNumberId Meta's id of the tenant's business phone number
	 * @param appSecret the Meta app secret that signs webhooks
	 * ({@code X-Hub-Signature-256})
	 * @param verifyToken the token Meta echoes in the webhook verification challenge
	 * @param wabaId the tenant's WhatsApp Business Account id: account-level and template
	 * webhooks name only it ({@code entry[].id}), no phone number
	 */
	public record Tenant(String id, String phoneNumberId, String appSecret, String verifyToken,
			@Nullable String wabaId) {

	}

}
