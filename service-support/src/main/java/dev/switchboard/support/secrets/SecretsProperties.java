package dev.switchboard.support.secrets;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of secrets at rest.
 *
 * @param masterKey the key-encryption key: 32 random bytes in base64
 * ({@code openssl rand -base64 32}); a service's {@code application.yml} reads it from
 * {@code SWITCHBOARD_MASTER_KEY}. Required outside the {@code local} profile
 * @param previousMasterKeys earlier master keys that still unwrap data keys until the
 * rewrap has moved them ({@code SWITCHBOARD_MASTER_KEY_PREVIOUS}, comma-separated)
 * @param rewrapOnStart whether the service rewraps, after it starts, every stored data
 * key not under the master key
 * @param rewrapBatch how many rows the rewrap reads at a time
 */
@ConfigurationProperties("switchboard.secrets")
public record SecretsProperties(@Nullable String masterKey, @DefaultValue List<String> previousMasterKeys,
		@DefaultValue("true") boolean rewrapOnStart, @DefaultValue("500") int rewrapBatch) {

}
