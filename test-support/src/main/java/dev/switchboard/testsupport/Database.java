package dev.switchboard.testsupport;

/**
 * Where a PostgreSQL database is and how to log in.
 *
 * @param host host name
 * @param port port
 * @param name database name
 * @param username user
 * @param password password (may be empty with trust authentication)
 */
public record Database(String host, int port, String name, String username, String password) {

	public String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.name;
	}

}
