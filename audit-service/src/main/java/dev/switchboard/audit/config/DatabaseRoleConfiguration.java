package dev.switchboard.audit.config;

import java.util.Map;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every R2DBC connection of the service works as {@code switchboard.audit.database-role}
 * ({@code audit_writer}, created by V3__devices_attribution_privacy.sql): the role is a
 * startup parameter of the connection, the same as {@code SET ROLE} before anything else
 * runs. That role may read and append the audit log but has no UPDATE or DELETE on it.
 * Flyway migrates with the configured user itself. A blank value keeps the user's own
 * rights.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseRoleConfiguration {

	@Bean
	ConnectionFactoryOptionsBuilderCustomizer auditDatabaseRole(
			@Value("${switchboard.audit.database-role:audit_writer}") String role) {
		return (builder) -> {
			if (!role.isBlank()) {
				builder.option(PostgresqlConnectionFactoryProvider.OPTIONS, Map.of("role", role));
			}
		};
	}

}
