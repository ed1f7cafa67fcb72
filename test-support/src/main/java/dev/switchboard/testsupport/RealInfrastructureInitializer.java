package dev.switchboard.testsupport;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring application context at the shared {@link RealInfrastructure}, with the
 * secrets a service refuses to start without outside the local profile: a master key
 * ({@code switchboard.secrets.master-key}) and an audit signing key
 * ({@code switchboard.audit.signing-key}), each made once per test JVM. It also lets the
 * context verify (a service) or sign (the gateway) internal identity tokens with the
 * fixed test key of {@link TestIdentity}.
 */
public class RealInfrastructureInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** The test JVM's master key: 32 random bytes, base64. */
	public static final String MASTER_KEY = randomKey();

	/** The test JVM's audit signing key: Ed25519, PKCS#8, base64. */
	public static final String AUDIT_SIGNING_KEY = signingKey();

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		Infrastructure infrastructure = RealInfrastructure.get();
		Map<String, Object> properties = new HashMap<>(infrastructure.springProperties());
		properties.put("switchboard.secrets.master-key", MASTER_KEY);
		properties.put("switchboard.audit.signing-key", AUDIT_SIGNING_KEY);
		properties.put("switchboard.identity.jwks", TestIdentity.jwks());
		properties.put("switchboard.identity.signing-key", TestIdentity.SIGNING_KEY);
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("switchboardRealInfrastructure", properties));
	}

	private static String randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	private static String signingKey() {
		try {
			return Base64.getEncoder()
				.encodeToString(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("This JDK cannot generate Ed25519 keys", ex);
		}
	}

}
