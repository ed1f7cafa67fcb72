package dev.switchboard.support.secrets;

/**
 * A column of sealed secrets, declared as a bean by the service that stores it: the
 * service then needs the master key to start, and its rewrap moves the column's data keys
 * to the current master key. Each envelope's {@link SecretContext} is
 * {@code (purpose, tenant column, id column)} of its row.
 *
 * @param table the table
 * @param column the {@code bytea} column of envelopes (rows where it is NULL are skipped)
 * @param tenantColumn the tenant's column
 * @param idColumn the row's unique id (ordered, for paging)
 * @param purpose the context's purpose
 */
public record SealedColumn(String table, String column, String tenantColumn, String idColumn, String purpose) {

	/**
	 * A row's context.
	 * @param tenantId the row's tenant
	 * @param id the row's id
	 * @return what its envelope is bound to
	 */
	public SecretContext context(String tenantId, Object id) {
		return new SecretContext(this.purpose, tenantId, id.toString());
	}

}
