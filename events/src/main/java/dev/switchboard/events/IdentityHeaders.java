package dev.switchboard.events;

/**
 * HTTP headers in which the gateway passes the verified caller to the services. The
 * gateway sets them itself and strips any a client sent; services scope every read and
 * write to the tenant.
 */
public final class IdentityHeaders {

	public static final String TENANT = "X-Switchboard-Tenant";

	public static final String SUBJECT = "X-Switchboard-Subject";

	public static final String ROLES = "X-Switchboard-Roles";

	private IdentityHeaders() {
	}

}
