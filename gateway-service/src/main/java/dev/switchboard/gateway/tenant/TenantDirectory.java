package dev.switchboard.gateway.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * Finds a tenant by the business phone number or the WhatsApp Business Account Meta names
 * in a webhook.
 */
@Component
public class TenantDirectory {

	private final Map<String, GatewayProperties.Tenant> byPhoneNumberId;

	private final Map<String, GatewayProperties.Tenant> byWabaId;

	TenantDirectory(GatewayProperties properties) {
		this.byPhoneNumberId = properties.tenants()
			.stream()
			.collect(Collectors.toUnmodifiableMap(GatewayProperties.Tenant::phoneNumberId, Function.identity()));
		// Several numbers of one business share its account: the first tenant naming it
		// owns
		// the account's template and account updates.
		this.byWabaId = properties.tenants()
			.stream()
			.filter((tenant) -> tenant.wabaId() != null && !tenant.wabaId().isBlank())
			.collect(Collectors.toUnmodifiableMap(GatewayProperties.Tenant::wabaId, Function.identity(),
					(first, second) -> first));
	}

	/**
	 * Finds the tenant of a WhatsApp Business Account, for webhooks that name no phone
	 * number (templates, account updates).
	 * @param wabaId the account id ({@code entry[].id})
	 * @return the tenant, if one names the account
	 */
	public Optional<GatewayProperties.Tenant> byWabaId(String wabaId) {
		return Optional.ofNullable(this.byWabaId.get(wabaId));
	}

	public Optional<GatewayProperties.Tenant> byPhoneNumberId(String phoneNumberId) {
		return Optional.ofNullable(this.byPhoneNumberId.get(phoneNumberId));
	}

	/**
	 * The app secrets of all tenants, each once: a webhook's signature is checked against
	 * them before its body is read.
	 * @return the distinct app secrets
	 */
	public Set<String> appSecrets() {
		return this.byPhoneNumberId.values()
			.stream()
			.map(GatewayProperties.Tenant::appSecret)
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Whether a verification token is one of the tenants', compared in constant time.
	 * @param token the token Meta sent
	 * @return whether it is known
	 */
	public boolean isVerifyToken(String token) {
		byte[] candidate = token.getBytes(StandardCharsets.UTF_8);
		boolean known = false;
		for (GatewayProperties.Tenant tenant : this.byPhoneNumberId.values()) {
			known |= MessageDigest.isEqual(candidate, tenant.verifyToken().getBytes(StandardCharsets.UTF_8));
		}
		return known;
	}

}
