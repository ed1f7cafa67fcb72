package dev.switchboard.support.secrets;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A Flyway migration (declare it as a bean: Spring Boot hands Java migration beans to
 * Flyway) that replaces a plaintext column by its sealed form, in one transaction: it
 * adds the {@code bytea} column of the {@link SealedColumn}, seals every row's plaintext
 * into it, drops the plaintext column and runs the given statements (e.g. a
 * {@code NOT NULL} or a {@code CHECK} on the new column). A failure rolls all of it back;
 * after it no plaintext is left and nothing can write more.
 */
public final class SealPlaintextMigration implements JavaMigration {

	private final MigrationVersion version;

	private final String description;

	private final Secrets secrets;

	private final SealedColumn sealed;

	private final String plaintextColumn;

	private final List<String> then;

	/**
	 * @param version the migration's version, e.g. {@code 5}
	 * @param description what Flyway's history shows
	 * @param secrets what seals
	 * @param sealed the new column and the context of its rows
	 * @param plaintextColumn the column it replaces ({@code text} or {@code bytea})
	 * @param then statements to run after the plaintext column is dropped
	 */
	public SealPlaintextMigration(String version, String description, Secrets secrets, SealedColumn sealed,
			String plaintextColumn, List<String> then) {
		this.version = MigrationVersion.fromVersion(version);
		this.description = description;
		this.secrets = secrets;
		this.sealed = sealed;
		this.plaintextColumn = plaintextColumn;
		this.then = List.copyOf(then);
	}

	@Override
	public MigrationVersion getVersion() {
		return this.version;
	}

	@Override
	public String getDescription() {
		return this.description;
	}

	@Override
	public Integer getChecksum() {
		return (this.sealed + this.plaintextColumn + this.then).hashCode();
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) throws Exception {
		Connection connection = context.getConnection();
		String table = this.sealed.table();
		try (Statement statement = connection.createStatement()) {
			statement.execute("ALTER TABLE " + table + " ADD COLUMN " + this.sealed.column() + " BYTEA");
		}
		try (Statement select = connection.createStatement();
				ResultSet rows = select.executeQuery("SELECT " + this.sealed.tenantColumn() + ", "
						+ this.sealed.idColumn() + ", " + this.plaintextColumn + " FROM " + table + " WHERE "
						+ this.plaintextColumn + " IS NOT NULL");
				PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET "
						+ this.sealed.column() + " = ? WHERE " + this.sealed.idColumn() + " = ?")) {
			while (rows.next()) {
				Object id = rows.getObject(2);
				Object plaintext = rows.getObject(3);
				byte[] bytes = (plaintext instanceof byte[] raw) ? raw
						: plaintext.toString().getBytes(StandardCharsets.UTF_8);
				update.setBytes(1, this.secrets.seal(bytes, this.sealed.context(rows.getString(1), id)));
				update.setObject(2, id);
				update.addBatch();
			}
			update.executeBatch();
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("ALTER TABLE " + table + " DROP COLUMN " + this.plaintextColumn);
			for (String sql : this.then) {
				statement.execute(sql);
			}
		}
	}

}
